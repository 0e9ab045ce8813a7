package weft.security.tls;

import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Where the {@link javax.net.ssl.SSLEngine} of libp2p TLS comes from: Bouncy Castle's JSSE provider (BCJSSE), used
 * for our contexts only and registered nowhere, so nothing else in the JVM changes.
 *
 * <p>Why not the JDK's own engine: js-libp2p and rust-libp2p send certificates whose issuer is an empty name
 * (libp2p/specs issue 635; RFC 5280 §4.1.2.4 asks for a non-empty one, the libp2p spec does not), and the JDK's TLS
 * stack parses the peer's {@code Certificate} message with the JDK's X.509 parser, which refuses them ("Empty
 * issuer DN not allowed in X509Certificates", {@code sun.security.x509.X509CertInfo}) before any trust manager
 * runs. BCJSSE parses certificates through the helper given here, which takes X.509 certificate factories from
 * Bouncy Castle's provider (it accepts an empty issuer) and everything else from the JDK's providers as usual, so
 * the record layer keeps the JDK's AES-GCM and ChaCha20-Poly1305 intrinsics.
 */
final class EngineProvider {
    /** A private instance, never added to {@link java.security.Security}. */
    static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
    static final Provider JSSE = new BouncyCastleJsseProvider(false, new CryptoProvider());

    private EngineProvider() {}

    /** BCJSSE's crypto: the JDK's primitives, Bouncy Castle's certificate parser. */
    private static final class CryptoProvider extends JcaTlsCryptoProvider {
        private final JcaJceHelper helper = new DefaultJcaJceHelper() {
            @Override
            public CertificateFactory createCertificateFactory(String type) throws CertificateException {
                return CertificateFactory.getInstance(type, BOUNCY_CASTLE);
            }
        };

        @Override
        public JcaJceHelper getHelper() {
            return helper;
        }
    }
}
