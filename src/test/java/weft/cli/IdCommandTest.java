package weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import weft.crypto.IdentityFile;
import weft.crypto.PeerId;

class IdCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("weft: " + Errors.describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    @Test
    void idWithoutKeyPrintsAFreshEd25519PeerId() {
        assertEquals(0, run("id"));
        String printed = out.toString().trim();
        assertTrue(printed.startsWith("12D3KooW"), printed);
        assertEquals(printed, PeerId.parse(printed).toBase58());
    }

    @Test
    void idWithMissingKeyFileCreatesItAndPrintsTheSameIdNextTime(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("node.key");
        assertEquals(0, run("id", "--key", key.toString()));
        String first = out.toString().trim();
        assertTrue(Files.exists(key));
        assertEquals(first, PeerId.fromPublicKey(IdentityFile.read(key).publicKey()).toBase58());
        out.getBuffer().setLength(0);
        assertEquals(0, run("id", "--key", key.toString()));
        assertEquals(first, out.toString().trim());
    }

    @Test
    void idOfACorruptKeyFileFailsWithOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("bad.key");
        Files.write(key, new byte[] {1, 2, 3});
        assertEquals(1, run("id", "--key", key.toString()));
        String message = err.toString().trim();
        assertTrue(message.startsWith("weft: "), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void idJsonNamesTheKeyTypeAndBothTextForms() {
        assertEquals(0, run("id", "--type", "secp256k1", "--json"));
        String json = out.toString().trim();
        assertTrue(json.contains("\"keyType\":\"secp256k1\""), json);
        assertTrue(json.contains("\"peerId\":\"16Uiu2HA"), json);
        assertTrue(json.contains("\"cid\":\"b"), json);
    }

    @Test
    void unknownKeyTypeIsAUsageError() {
        assertNotEquals(0, run("id", "--type", "dsa"));
        assertTrue(err.toString().contains("unknown key type"), err.toString());
    }
}
