package weft.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Go yamux peer as a child process ({@code src/test/interop/go/yamuxpeer/main.go}, Go's hashicorp/yamux from
 * Debian). {@link #binary()} finds it in {@code target/interop/} (where {@code .ci/install} builds it) or builds
 * it when {@code go} is on the PATH, and skips the calling test class when Go is not installed. Its stdout and
 * stderr are collected line by line for the test's assertions and log. {@code -Dweft.interop.goTrace=true} makes
 * the peer print every frame header it sends and receives.
 */
final class GoYamuxPeer implements AutoCloseable {
    static final Path SOURCE = Path.of("src/test/interop/go/yamuxpeer");
    static final Path BINARY = Path.of("target/interop/yamuxpeer");
    /** Where Debian's golang-github-hashicorp-yamux-dev puts the source: a GOPATH tree (dpkg -L shows it). */
    static final Path DEBIAN_GOPATH = Path.of("/usr/share/gocode");

    private static final String INSTALL_HINT = "Go yamux interop needs Go and Debian's hashicorp/yamux: "
            + "apt-get install golang-go golang-github-hashicorp-yamux-dev (bash .ci/install does it and builds the peer)";

    private static String buildFailure; // test threads run one at a time

    private final Process process;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<String> stdout = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> stderr = new ConcurrentLinkedQueue<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private GoYamuxPeer(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toAbsolutePath().toString());
        if (Boolean.getBoolean("weft.interop.goTrace")) {
            command.add("-trace"); // every frame header, both directions, on the peer's stderr
        }
        command.addAll(args);
        process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        stdoutReader = collect(process.getInputStream(), line -> {
            stdout.add(line);
            stdoutLines.add(line);
        });
        stderrReader = collect(process.getErrorStream(), stderr::add);
    }

    /** {@code yamuxpeer listen}: a yamux server on 127.0.0.1; see {@link #port()}. */
    static GoYamuxPeer listen() throws IOException {
        return new GoYamuxPeer(List.of("listen"));
    }

    /** {@code yamuxpeer dial 127.0.0.1:port scenario}: a yamux client that drives {@code scenario}. */
    static GoYamuxPeer dial(int port, String scenario) throws IOException {
        return new GoYamuxPeer(List.of("dial", "127.0.0.1:" + port, scenario));
    }

    /** The port a {@code listen} peer bound: the first line it prints. */
    int port(Duration timeout) throws InterruptedException {
        String line = stdoutLines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || !line.matches("[0-9]+")) {
            fail("go peer did not print its port (got " + line + ")\n" + output());
        }
        return Integer.parseInt(line);
    }

    /** Waits for the process to end and its output to be read; fails the test if that takes over {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                || !stdoutReader.join(timeout) || !stderrReader.join(timeout)) {
            fail("go peer still running after " + timeout + "\n" + output());
        }
        return process.exitValue();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    /** Everything the peer printed so far, for failure messages and the test log. */
    String output() {
        return "--- go peer stdout\n" + String.join("\n", stdout) + "\n--- go peer stderr\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread collect(InputStream in, java.util.function.Consumer<String> sink) {
        return Thread.ofVirtual().name("go-peer-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                sink.accept("(output ended: " + e + ")");
            }
        });
    }

    /**
     * The peer's binary, built if it is missing or older than its source. Skips the test (JUnit assumption) when
     * Go or Debian's hashicorp/yamux is not installed; fails it when the build itself fails.
     */
    static Path binary() throws IOException, InterruptedException {
        if (buildFailure != null) {
            fail(buildFailure); // once is enough: do not build again for every test
        }
        if (Files.isExecutable(BINARY) && !sourceNewerThanBinary()) {
            return BINARY;
        }
        Optional<Path> go = onPath("go");
        assumeTrue(go.isPresent(), "go is not on the PATH. " + INSTALL_HINT);
        assumeTrue(Files.isDirectory(DEBIAN_GOPATH.resolve("src/github.com/hashicorp/yamux")),
                "no hashicorp/yamux under " + DEBIAN_GOPATH + ". " + INSTALL_HINT);
        Files.createDirectories(BINARY.getParent());
        Path interop = BINARY.getParent().toAbsolutePath();
        // GOPATH mode, offline: the Debian tree provides github.com/hashicorp/yamux; no module downloads.
        ProcessBuilder build = new ProcessBuilder(go.get().toString(), "build", "-o", BINARY.toString(), "./" + SOURCE)
                .redirectErrorStream(true);
        Map<String, String> env = build.environment();
        env.put("GO111MODULE", "off");
        env.put("GOPATH", DEBIAN_GOPATH + File.pathSeparator + interop.resolve("gopath"));
        env.put("GOCACHE", interop.resolve("gocache").toString());
        env.put("GOFLAGS", "");
        Process p = build.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            buildFailure = "go build of " + SOURCE + " failed:\n" + out;
            fail(buildFailure);
        }
        return BINARY;
    }

    private static boolean sourceNewerThanBinary() throws IOException {
        long built = Files.getLastModifiedTime(BINARY).toMillis();
        try (Stream<Path> files = Files.list(SOURCE)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.getLastModifiedTime(f).toMillis() > built) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
