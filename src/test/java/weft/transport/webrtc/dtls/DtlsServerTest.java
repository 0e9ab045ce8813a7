package weft.transport.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.junit.jupiter.api.Test;
import weft.transport.webrtc.Fingerprint;

class DtlsServerTest {
    /** What a listener does for one remote: cookie check on the first flights, then a handshake thread. */
    static final class OneRemoteRouter {
        final DtlsServer server;
        final RemoteDatagrams toClient;
        RemoteDatagrams serverSide;
        final CompletableFuture<DtlsConnection> accepted = new CompletableFuture<>();
        final List<Integer> helloVerifyReplies = new ArrayList<>();

        OneRemoteRouter(DtlsServer server, RemoteDatagrams toClient) {
            this.server = server;
            this.toClient = toClient;
        }

        void fromClient(byte[] buf, int off, int len) {
            byte[] datagram = java.util.Arrays.copyOfRange(buf, off, off + len);
            if (serverSide != null) {
                serverSide.offer(datagram);
                return;
            }
            DtlsServer.VerifiedHello hello = server.verify(new byte[] {127, 0, 0, 1, 0x13, (byte) 0x88}, datagram,
                    datagram.length, (b, o, l) -> {
                        helloVerifyReplies.add(l);
                        toClient.offer(java.util.Arrays.copyOfRange(b, o, o + l));
                    });
            if (hello != null) {
                serverSide = new RemoteDatagrams((b, o, l) -> toClient.offer(java.util.Arrays.copyOfRange(b, o, o + l)));
                RemoteDatagrams side = serverSide;
                Thread.ofVirtual().start(() -> {
                    try {
                        accepted.complete(server.accept(hello, side));
                    } catch (IOException e) {
                        accepted.completeExceptionally(e);
                    }
                });
            }
        }
    }

    @Test
    void browserLikeClientCompletesTheHandshakeAfterACookieExchangeAndDataFlowsBothWays() throws Exception {
        DtlsCertificate serverCertificate = DtlsCertificate.generate();
        DtlsCertificate clientCertificate = DtlsCertificate.generate();
        DtlsServer server = new DtlsServer(serverCertificate);
        OneRemoteRouter[] router = new OneRemoteRouter[1];
        RemoteDatagrams clientSide = new RemoteDatagrams((b, o, l) -> router[0].fromClient(b, o, l));
        router[0] = new OneRemoteRouter(server, clientSide);
        JcaTlsCrypto crypto = (JcaTlsCrypto) new JcaTlsCryptoProvider().create(new SecureRandom());
        BrowserLikeDtlsClient client = new BrowserLikeDtlsClient(crypto, clientCertificate);

        DTLSTransport clientTransport = new DTLSClientProtocol().connect(client, clientSide);
        DtlsConnection serverConnection = router[0].accepted.get(30, TimeUnit.SECONDS);

        assertEquals(1, router[0].helloVerifyReplies.size(), "one stateless HelloVerifyRequest");
        assertEquals(clientCertificate.fingerprint(), serverConnection.remoteFingerprint());
        assertEquals(serverCertificate.fingerprint(), Fingerprint.ofCertificate(client.serverCertificate));
        assertTrue(client.context().getSecurityParametersConnection().isExtendedMasterSecret());
        assertEquals(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                client.context().getSecurityParametersConnection().getCipherSuite());

        byte[] hello = "sctp packet".getBytes();
        clientTransport.send(hello, 0, hello.length);
        byte[] buffer = new byte[2000];
        int n = serverConnection.receive(buffer, 10_000);
        assertArrayEquals(hello, java.util.Arrays.copyOf(buffer, n));
        serverConnection.send(hello, 0, hello.length);
        n = clientTransport.receive(buffer, 0, buffer.length, 10_000);
        assertArrayEquals(hello, java.util.Arrays.copyOf(buffer, n));
    }

    @Test
    void garbageFromANewRemoteGetsNoAnswer() {
        DtlsServer server = new DtlsServer(DtlsCertificate.generate());
        List<Integer> replies = new ArrayList<>();
        byte[] junk = new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 1, 2, 3};
        assertNull(server.verify(new byte[4], junk, junk.length, (b, o, l) -> replies.add(l)));
        assertEquals(List.of(), replies);
    }

    @Test
    void storedCertificateDecodesToTheSameFingerprintAndKey() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        DtlsCertificate back = DtlsCertificate.decode(certificate.encode());
        assertEquals(certificate.fingerprint(), back.fingerprint());
        assertNotNull(back.privateKey());
        assertArrayEquals(certificate.privateKey().getEncoded(), back.privateKey().getEncoded());
    }
}
