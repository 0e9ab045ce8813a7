package weft.transport.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.crypto.IdentityFileException;

class CertificateFileTest {
    @TempDir
    Path dir;

    @Test
    void theCertificateFileSitsBesideTheIdentityFileWithWebrtcAppended() {
        assertEquals(dir.resolve("node.key.webrtc"), CertificateFile.besideIdentity(dir.resolve("node.key")));
    }

    @Test
    void readOrCreateWritesOnceAndThenReadsTheSameCertificate() throws IOException {
        Path file = dir.resolve("node.key.webrtc");
        DtlsCertificate created = CertificateFile.readOrCreate(file);
        assertTrue(Files.exists(file));
        assertEquals(created.fingerprint(), CertificateFile.readOrCreate(file).fingerprint());
        assertEquals(created.fingerprint(), CertificateFile.read(file).fingerprint());
    }

    @Test
    void theFileIsOwnerOnlyWherePosixPermissionsExist() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        Path file = dir.resolve("node.key.webrtc");
        CertificateFile.write(file, DtlsCertificate.generate());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> CertificateFile.read(dir.resolve("absent")));
    }

    @Test
    void garbageEmptyTruncatedAndOversizedFilesAreIdentityFileExceptions() throws IOException {
        byte[] valid = DtlsCertificate.generate().encode();
        byte[][] bad = {new byte[0], "not a certificate".getBytes(), Arrays.copyOf(valid, valid.length - 10),
            Arrays.copyOf(valid, 40), new byte[CertificateFile.MAX_SIZE + 1]};
        for (byte[] content : bad) {
            Path file = dir.resolve("bad.webrtc");
            Files.write(file, content);
            IdentityFileException e = assertThrows(IdentityFileException.class, () -> CertificateFile.read(file));
            assertEquals(file, e.path());
            assertTrue(e.getMessage().startsWith("identity: " + file + ": "), e.getMessage());
        }
    }
}
