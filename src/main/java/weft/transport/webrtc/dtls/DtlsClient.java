package weft.transport.webrtc.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import weft.transport.webrtc.CerthashMismatchException;
import weft.transport.webrtc.Fingerprint;

/**
 * The DTLS 1.2 client side of a WebRTC-direct dial, on Bouncy Castle's {@code DTLSClientProtocol}, with the
 * {@link WebRtcTlsClient} policy. The dialer is the DTLS client: the server's SDP answer, which the dialer builds
 * from the address, says {@code a=setup:passive} (webrtc-direct.md step 5, and js-libp2p's
 * {@code serverAnswerFromMultiaddr}).
 */
public final class DtlsClient {
    private DtlsClient() {
    }

    /**
     * Runs the handshake over {@code datagrams}, presenting {@code certificate}.
     *
     * @param certhashes the fingerprints the address names; the server's certificate must match one
     * @param timeoutMillis bounds the handshake (DTLS retransmits inside it)
     * @throws CerthashMismatchException when the server's certificate matches none of {@code certhashes}
     */
    public static DtlsConnection connect(DtlsCertificate certificate, List<Fingerprint> certhashes,
            RemoteDatagrams datagrams, int timeoutMillis) throws IOException {
        JcaTlsCrypto crypto = (JcaTlsCrypto) new JcaTlsCryptoProvider().create(new SecureRandom());
        WebRtcTlsClient client = new WebRtcTlsClient(crypto, certificate, certhashes, Math.max(1, timeoutMillis));
        DTLSTransport transport;
        try {
            transport = new DTLSClientProtocol().connect(client, datagrams);
        } catch (TlsFatalAlert e) {
            if (client.mismatch()) {
                throw new CerthashMismatchException(certhashes, client.serverFingerprint());
            }
            throw e;
        }
        return new DtlsConnection(transport, client.serverFingerprint(), client.cipherSuite());
    }
}
