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
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.junit.jupiter.api.Test;
import weft.transport.webrtc.Fingerprint;

class DtlsServerTest {
    /** A browser-like DTLS 1.2 client: ECDSA certificate, the WebRTC cipher suite, extended master secret. */
    static final class BrowserLikeClient extends DefaultTlsClient {
        private final DtlsCertificate certificate;
        byte[] serverCertificate;

        BrowserLikeClient(JcaTlsCrypto crypto, DtlsCertificate certificate) {
            super(crypto);
            this.certificate = certificate;
        }

        org.bouncycastle.tls.TlsClientContext context() {
            return context;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                    serverCertificate = server.getCertificate().getCertificateAt(0).getEncoded();
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    JcaTlsCrypto crypto = (JcaTlsCrypto) getCrypto();
                    Certificate chain = new Certificate(new TlsCertificate[] {
                            crypto.createCertificate(certificate.der())});
                    return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                            certificate.privateKey(), chain,
                            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }
    }

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
        BrowserLikeClient client = new BrowserLikeClient(crypto, clientCertificate);

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
