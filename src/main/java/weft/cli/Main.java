package weft.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import weft.cli.runner.InteropCommand;
import weft.multiformats.Multiaddr;

/**
 * The {@code weft} command. The only package that knows picocli and Logback: the library itself logs through
 * SLF4J and leaves the backend to the application.
 *
 * <p>Exit codes: 0 success, 1 the operation failed (refused, timeout, peer ID mismatch, protocol not supported:
 * one {@code weft: <what>} line on stderr), 2 bad usage (an unknown option, a malformed multiaddr: one line too).
 * Results go to stdout, logs to stderr.
 */
@Command(
        name = "weft",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A libp2p node on virtual threads: TCP or WebSocket, Noise or TLS, yamux or mplex.",
        subcommands = {PerfCommand.class, EchoCommand.class, PingCommand.class, IdCommand.class,
            InteropCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Logback reads the CLI's own configuration, not a logback.xml a library user might have. */
    static final String LOGBACK_CONFIG = "weft/cli/logback.xml";

    /**
     * Bouncy Castle's JSSE provider (the TLS engine, {@code weft.security.tls}) logs every handshake at INFO through
     * {@code java.util.logging}, whose default handler prints to stderr: the CLI lets only its warnings through,
     * and its INFO lines with {@code --verbose}. Held in a field because {@code java.util.logging} keeps loggers
     * only weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger BC_JSSE = java.util.logging.Logger.getLogger("org.bouncycastle.jsse");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Log at debug level on stderr.")
    void verbose(boolean on) {
        if (on && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
        }
        if (on) {
            BC_JSSE.setLevel(java.util.logging.Level.INFO);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** Runs the command line and returns the exit code, writing to {@code out} and {@code err}. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        BC_JSSE.setLevel(java.util.logging.Level.WARNING);
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --security tls, --muxer mplex
        cli.setOut(out);
        cli.setErr(err);
        cli.registerConverter(Multiaddr.class, Main::multiaddr);
        cli.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("weft: " + e.getMessage() + " (see weft "
                    + e.getCommandLine().getCommandName() + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("weft: " + Errors.describe(e));
            LoggerFactory.getLogger(Main.class).debug("weft: failed", e);
            return 1;
        });
        return cli.execute(args);
    }

    private static Multiaddr multiaddr(String text) {
        try {
            return Multiaddr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** {@code weft} alone prints the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"weft " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
