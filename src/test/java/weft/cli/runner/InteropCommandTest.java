package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line of {@code weft interop}, in this JVM (no runner variables are set here). */
class InteropCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new InteropCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void listPrintsTheImagesYamlCapabilities() {
        assertEquals(0, run("--list"), err.toString());
        assertEquals(Stacks.imagesYaml(), out.toString().lines().toList());
    }

    @Test
    void withoutEitherIsDialerItIsABadCommandLine() {
        assertTrue(System.getenv("IS_DIALER") == null && System.getenv("is_dialer") == null,
                "this test needs an environment without runner variables");
        assertEquals(2, run());
        assertTrue(err.toString().contains("neither IS_DIALER (unified-testing) nor is_dialer"), err.toString());
    }

    @Test
    void anUnknownConventionIsABadCommandLine() {
        assertEquals(2, run("--convention", "modern"));
        assertTrue(err.toString().contains("--convention is legacy or unified, not \"modern\""), err.toString());
    }
}
