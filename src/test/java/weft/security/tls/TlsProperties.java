package weft.security.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import weft.crypto.PrivateKey;
import weft.security.HandshakeException;
import weft.security.SecureConnection;

class TlsProperties {
    private static final PrivateKey CLIENT = PrivateKey.generate();
    private static final PrivateKey SERVER = PrivateKey.generate();
    private static final TlsSecureChannel CLIENT_CHANNEL = new TlsSecureChannel(CLIENT);
    private static final TlsSecureChannel SERVER_CHANNEL = new TlsSecureChannel(SERVER);

    /** Random bytes, some behind a plausible TLS handshake record header so the engine parses deeper. */
    @Provide
    Arbitrary<byte[]> peerBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> framed = random.map(body -> {
            byte[] bytes = new byte[5 + body.length];
            bytes[0] = 0x16;
            bytes[1] = 0x03;
            bytes[2] = 0x01;
            bytes[3] = (byte) (body.length >>> 8);
            bytes[4] = (byte) body.length;
            System.arraycopy(body, 0, bytes, 5, body.length);
            return bytes;
        });
        return Arbitraries.oneOf(random, framed);
    }

    /** Whatever a client sends, the server fails with a HandshakeException, never anything else. */
    @Property(tries = 300)
    void arbitraryBytesIntoTheServerOnlyEverFailTheHandshake(@ForAll("peerBytes") byte[] bytes) {
        assertThrows(HandshakeException.class, () -> SERVER_CHANNEL.secureInbound(TlsPeers.scripted(bytes)));
    }

    /** Whatever a server answers to our ClientHello, the client fails with a HandshakeException. */
    @Property(tries = 300)
    void arbitraryBytesIntoTheClientOnlyEverFailTheHandshake(@ForAll("peerBytes") byte[] bytes) {
        assertThrows(HandshakeException.class,
                () -> CLIENT_CHANNEL.secureOutbound(TlsPeers.scripted(bytes), SERVER.peerId()));
    }

    @Provide
    Arbitrary<List<Integer>> writeSizes() {
        return Arbitraries.oneOf(
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(16_370, 16_400),
                        Arbitraries.integers().between(0, 200_000))
                .list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return Arbitraries.integers().between(1, 70_000).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Whatever the sizes of the writes and of the reader's buffers, the bytes arrive exactly. */
    @Property(tries = 40)
    void arbitraryWritesAndReadChunkingsRoundTripByteExact(@ForAll("writeSizes") List<Integer> writes,
            @ForAll("readSizes") List<Integer> reads) throws Exception {
        TlsPeers.Pair pair = TlsPeers.handshake(CLIENT_CHANNEL, SERVER_CHANNEL, SERVER.peerId());
        int total = writes.stream().mapToInt(Integer::intValue).sum();
        byte[] data = new byte[total];
        new Random(total).nextBytes(data);

        CompletableFuture<Void> writer = TlsPeers.inBackground(() -> {
            int off = 0;
            for (int size : writes) {
                pair.client().output().write(data, off, size);
                off += size;
            }
            pair.client().close();
            return null;
        });
        ByteArrayOutputStream received = new ByteArrayOutputStream(total);
        SecureConnection server = pair.server();
        for (int i = 0; ; i++) {
            byte[] buffer = new byte[reads.get(i % reads.size())];
            int n = server.input().read(buffer, 0, buffer.length);
            if (n < 0) {
                break;
            }
            received.write(buffer, 0, n);
        }
        TlsPeers.await(writer);
        server.close();
        assertArrayEquals(data, received.toByteArray());
    }

    /** The certificate extension decoder never throws: a SignedKey or null, and a SignedKey re-encodes exactly. */
    @Property(tries = 2000)
    void signedKeyDecodingOfArbitraryBytesNeverThrows(@ForAll("peerBytes") byte[] bytes) throws IOException {
        SignedKey decoded = SignedKey.decode(bytes);
        if (decoded != null) {
            assertArrayEquals(bytes, decoded.encode());
        }
    }
}
