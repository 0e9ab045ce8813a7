package weft.transport.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class StunMessageProperties {
    record Raw(int type, byte[] value) {
    }

    @Property(tries = 300)
    void builtMessagesDecodeToTheSameAttributesAndVerify(
            @ForAll @Size(12) byte[] transactionId, @ForAll("attributes") List<Raw> attributes,
            @ForAll @Size(max = 40) byte[] password) throws Exception {
        StunMessage.Builder builder = StunMessage.builder(StunMessage.BINDING_REQUEST, transactionId);
        attributes.forEach(a -> builder.add(a.type(), a.value()));
        byte[] bytes = builder.encode(password, true);
        StunMessage decoded = StunMessage.decode(bytes, bytes.length);
        assertArrayEquals(transactionId, decoded.transactionId());
        assertEquals(attributes.size() + 2, decoded.attributes().size());
        for (int i = 0; i < attributes.size(); i++) {
            assertEquals(attributes.get(i).type(), decoded.attributes().get(i).type());
            assertArrayEquals(attributes.get(i).value(), decoded.attributes().get(i).value());
        }
        assertTrue(decoded.hasValidIntegrity(password));
        assertTrue(decoded.hasValidFingerprint());
    }

    @Property(tries = 200)
    void xorMappedAddressRoundTrips(@ForAll @Size(12) byte[] transactionId,
            @ForAll("ips") byte[] ip, @ForAll @IntRange(max = 65535) int port) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(ip), port);
        byte[] bytes = StunMessage.builder(StunMessage.BINDING_SUCCESS, transactionId)
                .addXorMappedAddress(address).encode(null, false);
        assertEquals(address, StunMessage.decode(bytes, bytes.length).xorMappedAddress().orElseThrow());
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrThrowOnlyStunException(@ForAll("datagrams") byte[] datagram) {
        try {
            StunMessage message = StunMessage.decode(datagram, datagram.length);
            message.hasValidFingerprint();
            message.hasValidIntegrity(new byte[] {1});
            message.username();
            message.xorMappedAddress();
            IceLiteResponder.answer(message, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
        } catch (StunException expected) {
            // the only exception allowed
        }
    }

    @Provide
    Arbitrary<List<Raw>> attributes() {
        Arbitrary<Raw> one = Combinators.combine(
                Arbitraries.integers().between(0x0001, 0x7fff).filter(t -> t != StunMessage.MESSAGE_INTEGRITY),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(37)).as(Raw::new);
        return one.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<byte[]> ips() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16));
    }

    /** Random bytes, and mutations of real messages (which get past the header checks far more often). */
    @Provide
    Arbitrary<byte[]> datagrams() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        Arbitrary<byte[]> mutated = Combinators.combine(
                Arbitraries.of(Rfc5769.REQUEST, Rfc5769.IPV4_RESPONSE, Rfc5769.IPV6_RESPONSE),
                Arbitraries.integers().between(0, 91), Arbitraries.bytes()).as((base, at, b) -> {
                    byte[] copy = base.clone();
                    copy[at % copy.length] = b;
                    return copy;
                });
        return Arbitraries.oneOf(random, mutated);
    }
}
