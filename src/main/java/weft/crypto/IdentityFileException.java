package weft.crypto;

import java.io.IOException;
import java.nio.file.Path;

/** A file that should hold a peer's identity but does not: empty, too large, or not a valid private key. */
public class IdentityFileException extends IOException {
    private final transient Path path;

    public IdentityFileException(Path path, String problem, Throwable cause) {
        super("identity: " + path + ": " + problem, cause);
        this.path = path;
    }

    /** The file that was read. */
    public Path path() {
        return path;
    }
}
