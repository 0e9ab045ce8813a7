package weft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer's identity on disk: the file holds exactly the protobuf {@code PrivateKey} bytes ("Current libp2p
 * implementations store private keys on disk as a serialized PrivateKey protobuf message", peer-ids spec) — what
 * go-libp2p's {@code crypto.MarshalPrivateKey} and js-libp2p's {@code privateKeyToProtobuf} produce, so keys move
 * between implementations as files. (kubo keeps the same bytes base64-encoded in its config's
 * {@code Identity.PrivKey}; decode them first.)
 *
 * <pre>{@code
 * PrivateKey key = IdentityFile.readOrCreate(Path.of("weft.key"));   // Ed25519 on first run
 * System.out.println(key.peerId());                                  // 12D3KooW...
 * }</pre>
 *
 * <p>{@link #write} replaces the file atomically (a temporary file in the same directory, then a rename) and,
 * where the file system has POSIX permissions, makes it readable by its owner only.
 */
public final class IdentityFile {
    private static final Logger log = LoggerFactory.getLogger(IdentityFile.class);
    /** Larger than any valid key: an 8192-bit RSA key, the largest go-libp2p accepts, is about 4.7 KB. */
    static final int MAX_SIZE = 16 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private IdentityFile() {}

    /**
     * Reads the private key stored at {@code path}.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws IdentityFileException if the file is empty, too large, or not a valid protobuf private key
     */
    public static PrivateKey read(Path path) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        }
        if (bytes.length == 0) {
            throw new IdentityFileException(path, "file is empty", null);
        }
        if (bytes.length > MAX_SIZE) {
            throw new IdentityFileException(path, "file is larger than any private key (> " + MAX_SIZE + " bytes)",
                    null);
        }
        PrivateKey key;
        try {
            key = PrivateKey.unmarshal(bytes);
        } catch (KeyFormatException e) {
            String hint = looksLikeText(bytes) ? " (the file is text; it must hold the raw protobuf bytes,"
                    + " e.g. base64-decoded from a kubo config)" : "";
            throw new IdentityFileException(path, "not a libp2p private key: " + e.getMessage() + hint, e);
        }
        warnIfReadableByOthers(path);
        return key;
    }

    /** Writes {@code key} to {@code path}, replacing any file there atomically; owner-only where supported. */
    public static void write(Path path, PrivateKey key) throws IOException {
        writeSecret(path, key.marshal());
    }

    /**
     * Writes {@code secret} to {@code path} as {@link #write} writes a key: atomically, owner-only where supported.
     * For other secrets kept beside the identity, such as the WebRTC-direct certificate.
     */
    public static void writeSecret(Path path, byte[] secret) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path directory = absolute.getParent();
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp", attributes);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(secret);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Reads the key at {@code path}, or, if there is no file, writes a fresh Ed25519 key there and returns it. */
    public static PrivateKey readOrCreate(Path path) throws IOException {
        if (Files.notExists(path)) {
            PrivateKey key = PrivateKey.generate();
            write(path, key);
            log.info("identity: created {} for peer {}", path, key.peerId());
            return key;
        }
        return read(path);
    }

    private static boolean looksLikeText(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0 || b == 0x7F || (b < 0x20 && b != '\n' && b != '\r' && b != '\t')) {
                return false;
            }
        }
        return true;
    }

    private static void warnIfReadableByOthers(Path path) {
        try {
            if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                if (permissions.contains(PosixFilePermission.GROUP_READ)
                        || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    log.warn("identity: {} is readable by other users ({}); chmod 600 it",
                            path, PosixFilePermissions.toString(permissions));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("identity: cannot check the permissions of {}", path, e);
        }
    }
}
