package weft.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityFileTest {
    private static final byte[] SPEC_ED25519 = HexFormat.of().parseHex("080112407e0830617c4a7de83925dfb2694556b129"
            + "36c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");

    @TempDir
    Path dir;

    @Test
    void writtenKeyIsReadBackAndTheFileHoldsTheProtobufBytes() throws IOException {
        Path file = dir.resolve("peer.key");
        PrivateKey key = PrivateKey.unmarshal(SPEC_ED25519);
        IdentityFile.write(file, key);
        assertArrayEquals(SPEC_ED25519, Files.readAllBytes(file));
        assertEquals(key, IdentityFile.read(file));
    }

    @Test
    void writtenFileIsOwnerOnlyWherePosixPermissionsExist() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        Path file = dir.resolve("peer.key");
        IdentityFile.write(file, PrivateKey.generate());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("peer.key");
        IdentityFile.write(file, PrivateKey.generate());
        PrivateKey second = PrivateKey.generate(KeyType.SECP256K1);
        IdentityFile.write(file, second);
        assertEquals(second, IdentityFile.read(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void readOrCreateCreatesOnceThenReads() throws IOException {
        Path file = dir.resolve("peer.key");
        PrivateKey created = IdentityFile.readOrCreate(file);
        assertEquals(KeyType.ED25519, created.type());
        assertEquals(created, IdentityFile.readOrCreate(file));
    }

    @Test
    void missingFileIsNoSuchFileException() {
        assertThrows(NoSuchFileException.class, () -> IdentityFile.read(dir.resolve("absent.key")));
    }

    @Test
    void emptyFileIsAnIdentityFileExceptionNamingThePath() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.key"));
        IdentityFileException e = assertThrows(IdentityFileException.class, () -> IdentityFile.read(file));
        assertEquals(file, e.path());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void corruptFileIsAnIdentityFileExceptionSayingWhatIsWrong() throws IOException {
        byte[] corrupt = SPEC_ED25519.clone();
        corrupt[0] = 0x10;
        Path file = Files.write(dir.resolve("corrupt.key"), corrupt);
        IdentityFileException e = assertThrows(IdentityFileException.class, () -> IdentityFile.read(file));
        assertTrue(e.getCause() instanceof KeyFormatException);
    }

    @Test
    void base64TextFileGetsAHint() throws IOException {
        Path file = Files.writeString(dir.resolve("kubo.key"), Base64.getEncoder().encodeToString(SPEC_ED25519),
                StandardCharsets.US_ASCII);
        IdentityFileException e = assertThrows(IdentityFileException.class, () -> IdentityFile.read(file));
        assertTrue(e.getMessage().contains("base64"), e.getMessage());
    }

    @Test
    void oversizedFileIsRejectedWithoutParsing() throws IOException {
        Path file = Files.write(dir.resolve("big.key"), new byte[IdentityFile.MAX_SIZE + 1]);
        IdentityFileException e = assertThrows(IdentityFileException.class, () -> IdentityFile.read(file));
        assertTrue(e.getMessage().contains("larger"), e.getMessage());
    }
}
