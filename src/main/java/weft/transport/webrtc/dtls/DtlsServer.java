package weft.transport.webrtc.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import weft.transport.webrtc.Fingerprint;

/**
 * The DTLS 1.2 server side of a WebRTC-direct listener, on Bouncy Castle's {@code DTLSServerProtocol}.
 *
 * <p>Two steps per remote. {@link #verify} is stateless: it answers a ClientHello without a valid cookie with a
 * HelloVerifyRequest (RFC 6347 section 4.2.1: "a stateless cookie exchange [...] to prevent denial-of-service
 * attacks"), so an address that cannot receive gets nothing but that one small reply. {@link #accept} then runs the
 * handshake on the remote's own thread, with the {@link WebRtcTlsServer} policy. Crypto is the JDK's (Bouncy
 * Castle's {@code JcaTlsCrypto}), which has the AES-GCM intrinsics.
 */
public final class DtlsServer {
    private final DtlsCertificate certificate;
    private final JcaTlsCrypto crypto;
    private final DTLSVerifier verifier;

    public DtlsServer(DtlsCertificate certificate) {
        this.certificate = certificate;
        this.crypto = (JcaTlsCrypto) new JcaTlsCryptoProvider().create(new SecureRandom());
        this.verifier = new DTLSVerifier(crypto);
    }

    /** A ClientHello whose cookie checked out: the handshake may start. */
    public static final class VerifiedHello {
        private final DTLSRequest request;

        private VerifiedHello(DTLSRequest request) {
            this.request = request;
        }
    }

    /**
     * Checks a datagram from a remote that has no DTLS state yet. Returns null when it was not a ClientHello with a
     * valid cookie; a HelloVerifyRequest went out through {@code sender} if it was a ClientHello at all.
     *
     * @param clientId what identifies the remote in the cookie (its address and port bytes)
     */
    public VerifiedHello verify(byte[] clientId, byte[] datagram, int length, RemoteDatagrams.Sender sender) {
        DTLSRequest request = verifier.verifyRequest(clientId, datagram, 0, length, new org.bouncycastle.tls
                .DatagramSender() {
            @Override
            public int getSendLimit() {
                return RemoteDatagrams.SEND_LIMIT;
            }

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                sender.send(buf, off, len);
            }
        });
        return request == null ? null : new VerifiedHello(request);
    }

    /** Runs the handshake that {@code hello} began, reading the remote's later datagrams from {@code datagrams}. */
    public DtlsConnection accept(VerifiedHello hello, RemoteDatagrams datagrams) throws IOException {
        WebRtcTlsServer server = new WebRtcTlsServer(crypto, certificate);
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        DTLSTransport transport = protocol.accept(server, datagrams, hello == null ? null : hello.request);
        return new DtlsConnection(transport, Fingerprint.ofCertificate(server.clientCertificate()),
                server.cipherSuite());
    }

    public Fingerprint fingerprint() {
        return certificate.fingerprint();
    }
}
