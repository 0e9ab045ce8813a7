package weft.security.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Hands the TLS engine our one {@link Libp2pCertificate}, in both roles: the server presents it in its
 * {@code Certificate} message, the client in answer to the server's {@code CertificateRequest}. The certificate key
 * is ECDSA P-256, so it serves signature scheme {@code ecdsa_secp256r1_sha256} and nothing else: key type
 * {@code "EC"} in the JDK's names, {@code "EC/secp256r1"} in BCJSSE's TLS 1.3 names (which include the curve).
 * Immutable; one per handshake.
 */
final class CertificateSelector extends X509ExtendedKeyManager {
    private static final String ALIAS = "libp2p";
    private static final Set<String> KEY_TYPES = Set.of("EC", "EC/secp256r1");

    private final Libp2pCertificate certificate;

    CertificateSelector(Libp2pCertificate certificate) {
        this.certificate = certificate;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return keyTypes != null && Arrays.stream(keyTypes).anyMatch(KEY_TYPES::contains) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return KEY_TYPES.contains(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return chooseEngineClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooseEngineServerAlias(keyType, issuers, null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return KEY_TYPES.contains(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {certificate.certificate()} : null;
    }

    @Override
    public java.security.PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? certificate.certificateKey() : null;
    }
}
