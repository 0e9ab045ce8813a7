package weft.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.Provider;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import weft.crypto.KeyType;
import weft.crypto.PrivateKey;
import weft.security.HandshakeException;
import weft.security.SecureConnection;
import weft.security.tls.Libp2pCertificate;
import weft.security.tls.TlsSecureChannel;

/**
 * libp2p TLS fed the fuzzer's bytes: as everything the remote sends in a handshake, on each side (only
 * {@link HandshakeException} may come out: the JDK's engine reports bad records as {@code SSLException}, which the
 * handshake types), and as a peer certificate (Bouncy Castle's X.509 parser, as the engine's, then {@link Libp2pCertificate#verify}: only
 * {@link CertificateException}). Random bytes never complete a handshake, and a mutated certificate almost never
 * keeps a valid signature, so the certificate target mostly covers parsing and the order of the checks.
 */
class TlsFuzzTest {
    /** The parser the TLS engine uses for peer certificates (Bouncy Castle's; see weft.security.tls.EngineProvider). */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    private static final TlsSecureChannel CHANNEL =
            new TlsSecureChannel(PrivateKey.generate(KeyType.ED25519)).withMuxers(List.of("/yamux/1.0.0"));

    @FuzzTest
    void server(byte[] remoteSends) throws IOException {
        try (SecureConnection connection = CHANNEL.secureInbound(new PeerBytes(remoteSends))) {
            throw new AssertionError("handshake completed with unauthenticated bytes: " + connection);
        } catch (HandshakeException expected) {
            // the only way to refuse
        }
    }

    @FuzzTest
    void client(byte[] remoteSends) throws IOException {
        try (SecureConnection connection = CHANNEL.secureOutbound(new PeerBytes(remoteSends), null)) {
            throw new AssertionError("handshake completed with unauthenticated bytes: " + connection);
        } catch (HandshakeException expected) {
            // the only way to refuse
        }
    }

    @FuzzTest
    void certificate(byte[] der) {
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509", BOUNCY_CASTLE)
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException notACertificate) {
            return; // the TLS engine refuses these before our checks run
        }
        if (certificate == null) {
            return; // Bouncy Castle's answer to empty input
        }
        try {
            Libp2pCertificate.verify(new X509Certificate[] {certificate});
        } catch (CertificateException expected) {
            // the only way to refuse
        }
    }
}
