package weft.transport.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.junit.jupiter.api.Test;

class ClientHelloAssemblerTest {
    /** A DTLS record (RFC 6347 4.1) holding one ClientHello fragment (4.2.2). */
    static byte[] fragment(long recordSeq, int messageSeq, byte[] body, int offset, int length) {
        byte[] out = new byte[13 + 12 + length];
        out[0] = 22;
        out[1] = (byte) 0xfe;
        out[2] = (byte) 0xff; // DTLS 1.0 record version, as BoringSSL's first flight
        for (int i = 0; i < 6; i++) {
            out[5 + i] = (byte) (recordSeq >>> (8 * (5 - i)));
        }
        put16(out, 11, 12 + length);
        out[13] = 1;
        put24(out, 14, body.length);
        put16(out, 17, messageSeq);
        put24(out, 19, offset);
        put24(out, 22, length);
        System.arraycopy(body, offset, out, 25, length);
        return out;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void put24(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 16);
        put16(b, at + 1, v);
    }

    private static byte[] body(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) (i * 7 + 3);
        }
        return body;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void aWholeClientHelloPassesThroughAsItCame() {
        byte[] whole = fragment(0, 0, body(300), 0, 300);
        assertSame(whole, new ClientHelloAssembler().add(whole));
    }

    @Test
    void chromiumsTwoFragmentsBecomeOneRecordWithTheFirstFragmentsSequenceNumber() {
        byte[] body = body(1455); // Chromium 156's ClientHello with its post-quantum key share, about this long
        ClientHelloAssembler assembler = new ClientHelloAssembler();

        assertNull(assembler.add(fragment(0, 0, body, 0, 1175)));
        byte[] whole = assembler.add(fragment(1, 0, body, 1175, 280));

        assertArrayEquals(fragment(0, 0, body, 0, body.length), whole);
    }

    @Test
    void fragmentsOutOfOrderOverlappingAndRepeatedStillMakeTheSameHello() {
        byte[] body = body(1000);
        ClientHelloAssembler assembler = new ClientHelloAssembler();

        assertNull(assembler.add(fragment(3, 1, body, 600, 400)));
        assertNull(assembler.add(fragment(3, 1, body, 600, 400)));
        assertNull(assembler.add(fragment(2, 1, body, 0, 350)));
        byte[] whole = assembler.add(fragment(4, 1, body, 300, 310));

        assertArrayEquals(fragment(2, 1, body, 0, body.length), whole);
    }

    @Test
    void twoFragmentsInOneDatagramMakeTheHelloAtOnce() {
        byte[] body = body(800);
        byte[] whole = new ClientHelloAssembler().add(concat(fragment(7, 0, body, 0, 500), fragment(8, 0, body, 500,
                300)));
        assertArrayEquals(fragment(7, 0, body, 0, body.length), whole);
    }

    @Test
    void aNewerHelloReplacesTheFragmentsOfAnOlderOneAndLateOldFragmentsAreIgnored() {
        byte[] first = body(900);
        byte[] second = body(950); // the same hello with a cookie
        ClientHelloAssembler assembler = new ClientHelloAssembler();

        assertNull(assembler.add(fragment(0, 0, first, 0, 600)));
        assertNull(assembler.add(fragment(2, 1, second, 0, 600)));
        assertNull(assembler.add(fragment(1, 0, first, 600, 300)));
        byte[] whole = assembler.add(fragment(3, 1, second, 600, 350));

        assertArrayEquals(fragment(2, 1, second, 0, second.length), whole);
    }

    @Test
    void fragmentsThatLieAboutTheirBoundsOrSizeAreIgnored() {
        ClientHelloAssembler assembler = new ClientHelloAssembler();
        byte[] huge = fragment(0, 0, body(ClientHelloAssembler.MAX_LENGTH + 1), 0, 100);
        assertNull(assembler.add(huge));
        byte[] pastTheEnd = fragment(0, 0, body(200), 150, 50);
        put24(pastTheEnd, 22, 60); // fragment_length beyond the message
        assertNull(assembler.add(pastTheEnd));
        byte[] truncated = Arrays.copyOf(fragment(0, 0, body(200), 0, 100), 60);
        assertNull(assembler.add(truncated));
        byte[] notAHello = fragment(0, 0, body(200), 0, 200);
        notAHello[13] = 2;
        assertNull(assembler.add(notAHello));
    }

    /** The datagrams of a DTLS client whose MTU fragments its ClientHello, as Chromium's does. */
    private static final class SmallMtu implements DatagramTransport {
        private final DatagramTransport inner;
        private final int sendLimit;

        SmallMtu(DatagramTransport inner, int sendLimit) {
            this.inner = inner;
            this.sendLimit = sendLimit;
        }

        @Override
        public int getReceiveLimit() throws IOException {
            return inner.getReceiveLimit();
        }

        @Override
        public int getSendLimit() {
            return sendLimit;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            return inner.receive(buf, off, len, waitMillis);
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            inner.send(buf, off, len);
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    @Test
    void aClientWhoseHelloComesInFragmentsGetsACookieAndCompletesTheHandshake() throws Exception {
        DtlsServer server = new DtlsServer(DtlsCertificate.generate());
        DtlsCertificate clientCertificate = DtlsCertificate.generate();
        ClientHelloAssembler assembler = new ClientHelloAssembler();
        List<Integer> helloVerifyReplies = new ArrayList<>();
        CompletableFuture<DtlsConnection> accepted = new CompletableFuture<>();
        RemoteDatagrams[] serverSide = new RemoteDatagrams[1];
        RemoteDatagrams[] clientSide = new RemoteDatagrams[1];
        List<Integer> clientDatagrams = new ArrayList<>();
        // what the listener's socket loop does for one remote, with the assembler in front of the cookie check
        clientSide[0] = new RemoteDatagrams((b, o, l) -> {
            byte[] datagram = Arrays.copyOfRange(b, o, o + l);
            clientDatagrams.add(l);
            if (serverSide[0] != null) {
                serverSide[0].offer(datagram);
                return;
            }
            byte[] hello = assembler.add(datagram);
            if (hello == null) {
                return;
            }
            DtlsServer.VerifiedHello verified = server.verify(new byte[] {127, 0, 0, 1, 0x13, (byte) 0x88}, hello,
                    hello.length, (rb, ro, rl) -> {
                        helloVerifyReplies.add(rl);
                        clientSide[0].offer(Arrays.copyOfRange(rb, ro, ro + rl));
                    });
            if (verified != null) {
                RemoteDatagrams side = new RemoteDatagrams((rb, ro, rl) -> clientSide[0].offer(
                        Arrays.copyOfRange(rb, ro, ro + rl)));
                serverSide[0] = side;
                Thread.ofVirtual().start(() -> {
                    try {
                        accepted.complete(server.accept(verified, side));
                    } catch (IOException e) {
                        accepted.completeExceptionally(e);
                    }
                });
            }
        });
        JcaTlsCrypto crypto = (JcaTlsCrypto) new JcaTlsCryptoProvider().create(new SecureRandom());
        BrowserLikeDtlsClient client = new BrowserLikeDtlsClient(crypto, clientCertificate);

        DTLSTransport transport = new DTLSClientProtocol().connect(client, new SmallMtu(clientSide[0], 100));
        DtlsConnection connection = accepted.get(30, TimeUnit.SECONDS);

        assertEquals(1, helloVerifyReplies.size(), "one HelloVerifyRequest, for the assembled first hello");
        assertTrue(clientDatagrams.get(0) <= 100 && clientDatagrams.get(1) <= 100, "the hello came in pieces");
        assertEquals(clientCertificate.fingerprint(), connection.remoteFingerprint());
        byte[] data = "after a fragmented hello".getBytes();
        transport.send(data, 0, data.length);
        byte[] buffer = new byte[100];
        int n = connection.receive(buffer, 10_000);
        assertArrayEquals(data, Arrays.copyOf(buffer, n));
    }
}
