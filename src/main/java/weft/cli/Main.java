package weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weft} command. The only package that knows picocli and Logback: the library itself logs through
 * SLF4J and leaves the backend to the application.
 *
 * <p>Exit codes: 0 success, 1 the operation failed (one clear line on stderr), 2 bad usage.
 */
@Command(
        name = "weft",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A libp2p node on virtual threads.",
        subcommands = {IdCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    /** Logback reads the CLI's own configuration, not a logback.xml a library user might have. */
    static final String LOGBACK_CONFIG = "weft/cli/logback.xml";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("weft: " + Errors.describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"weft " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
