package weft.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import weft.multiformats.Multiaddr;

/**
 * The {@code weft} command: perf, echo, ping and id over TCP + Noise + yamux.
 *
 * <p>Exit codes: 0 when the command did what it was asked; 1 with one line on stderr ({@code weft: <what>}) when
 * it failed (refused, timeout, peer ID mismatch, protocol not supported); 2 for a bad command line (an unknown
 * option, a malformed multiaddr). Results go to stdout, logs to stderr.
 */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A libp2p node on the command line: TCP, Noise, yamux.",
        subcommands = {PerfCommand.class, EchoCommand.class, PingCommand.class, IdCommand.class})
public final class Main implements Runnable {
    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT, description = "Log at debug level on stderr.")
    void verbose(boolean on) {
        configureLogging(on ? Level.DEBUG : Level.WARN);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        configureLogging(Level.WARN);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code, writing to {@code out} and {@code err}. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.registerConverter(Multiaddr.class, Main::multiaddr);
        cli.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("weft: " + e.getMessage() + " (see weft "
                    + e.getCommandLine().getCommandName() + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("weft: " + describe(e));
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

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One line for an error: the exception's own message (weft's say which layer and what), else its type. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message;
    }

    static void configureLogging(Level level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"weft " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
