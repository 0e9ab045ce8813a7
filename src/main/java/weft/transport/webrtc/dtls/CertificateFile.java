package weft.transport.webrtc.dtls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.crypto.IdentityFile;
import weft.crypto.IdentityFileException;

/**
 * A {@link DtlsCertificate} on disk, so that a WebRTC-direct address ({@code .../certhash/<fingerprint>}) survives
 * a restart: the file holds {@link DtlsCertificate#encode()}, written like the identity key
 * ({@link IdentityFile#writeSecret}: atomically, readable by its owner only), as it holds a private key too.
 * Convention: the identity file's name plus {@code .webrtc} ({@link #besideIdentity}).
 *
 * <pre>{@code
 * DtlsCertificate certificate = CertificateFile.readOrCreate(CertificateFile.besideIdentity(Path.of("weft.key")));
 * HostConfig config = HostConfig.defaults().withWebRtcCertificate(certificate);
 * }</pre>
 */
public final class CertificateFile {
    private static final Logger log = LoggerFactory.getLogger(CertificateFile.class);
    /** Far above a P-256 PKCS#8 key and a self-signed certificate (about 600 bytes together). */
    static final int MAX_SIZE = 16 * 1024;

    private CertificateFile() {}

    /** {@code <identity file>.webrtc}, in the identity file's directory. */
    public static Path besideIdentity(Path identityFile) {
        return identityFile.resolveSibling(identityFile.getFileName() + ".webrtc");
    }

    /**
     * The certificate stored at {@code path}.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws IdentityFileException if the file is too large or does not hold a certificate and its key
     */
    public static DtlsCertificate read(Path path) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        }
        if (bytes.length > MAX_SIZE) {
            throw new IdentityFileException(path, "larger than any webrtc certificate (> " + MAX_SIZE + " bytes)",
                    null);
        }
        try {
            return DtlsCertificate.decode(bytes);
        } catch (GeneralSecurityException e) {
            throw new IdentityFileException(path, "not a webrtc certificate: " + e.getMessage(), e);
        }
    }

    /** Writes {@code certificate} to {@code path}, replacing any file there atomically; owner-only where supported. */
    public static void write(Path path, DtlsCertificate certificate) throws IOException {
        IdentityFile.writeSecret(path, certificate.encode());
    }

    /** The certificate at {@code path}, or, if there is no file, a fresh one written there. */
    public static DtlsCertificate readOrCreate(Path path) throws IOException {
        if (Files.notExists(path)) {
            DtlsCertificate certificate = DtlsCertificate.generate();
            write(path, certificate);
            log.info("webrtc: created {} (certhash {})", path, certificate.fingerprint().certhash());
            return certificate;
        }
        return read(path);
    }
}
