package weft.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns an exception into the one line the CLI prints on stderr. */
final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
