package weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import weft.multiformats.Multiaddr;
import weft.multiformats.Multibase;
import weft.multiformats.MultiformatException;
import weft.multiformats.Multihash;
import weft.multiformats.UnsignedVarint;

/** The multiformats decoders: varints, multiaddrs (binary and text), multibase text, multihashes. */
class MultiformatsFuzzTest {

    @FuzzTest
    void varintFromBytes(byte[] data) {
        try {
            UnsignedVarint.Decoded decoded = UnsignedVarint.decode(data, 0, data.length);
            assertTrue(decoded.value() >= 0 && decoded.length() <= UnsignedVarint.MAX_BYTES);
            byte[] encoded = UnsignedVarint.encode(decoded.value());
            assertEquals(decoded.length(), encoded.length);
            for (int i = 0; i < encoded.length; i++) {
                assertEquals(data[i], encoded[i]);
            }
        } catch (MultiformatException expected) {
            // the only way to refuse
        }
        try {
            assertArrayEquals(data, UnsignedVarint.encode(UnsignedVarint.decode(data)));
        } catch (MultiformatException expected) {
            // the only way to refuse
        }
    }

    @FuzzTest
    void varintFromStream(byte[] data) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            long value;
            while ((value = UnsignedVarint.read(in)) >= 0) {
                assertTrue(UnsignedVarint.size(value) <= UnsignedVarint.MAX_BYTES);
            }
        } catch (MultiformatException | EOFException expected) {
            // overlong, not minimal, or cut off
        }
    }

    @FuzzTest
    void multiaddrFromBytes(byte[] data) {
        Multiaddr address;
        try {
            address = Multiaddr.fromBytes(data);
        } catch (MultiformatException expected) {
            return;
        }
        assertArrayEquals(data, address.toBytes());
        assertEquals(address, Multiaddr.parse(address.toString()));
        // what a host does with an address a peer sent (identify listenAddrs): find the peer ID and dial it
        address.peerId().ifPresent(id ->
                assertEquals(address, address.withoutPeerId().encapsulate(Multiaddr.parse("/p2p/" + id))));
        try {
            address.toSocketAddress();
        } catch (MultiformatException notASocket) {
            // not ip4|ip6|dns then tcp|udp, or an ip6zone this machine lacks
        }
    }

    /** The text form, from the fuzzer's bytes as UTF-8 (so seeds are plain text files). */
    @FuzzTest
    void multiaddrParse(byte[] data) {
        Multiaddr address;
        try {
            address = Multiaddr.parse(new String(data, StandardCharsets.UTF_8));
        } catch (MultiformatException expected) {
            return;
        }
        assertEquals(address, Multiaddr.parse(address.toString()));
        assertEquals(address, Multiaddr.fromBytes(address.toBytes()));
    }

    @FuzzTest
    void multibaseDecode(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        byte[] decoded;
        try {
            decoded = Multibase.decode(text);
        } catch (MultiformatException expected) {
            return;
        }
        Multibase base = Multibase.forPrefix(text.charAt(0));
        assertArrayEquals(decoded, Multibase.decode(base.encode(decoded)));
    }

    @FuzzTest
    void multihashDecode(byte[] data) {
        Multihash hash;
        try {
            hash = Multihash.decode(data);
        } catch (MultiformatException expected) {
            return;
        }
        assertArrayEquals(data, hash.encode());
    }
}
