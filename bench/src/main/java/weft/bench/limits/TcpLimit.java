package weft.bench.limits;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import weft.bench.Results;
import weft.security.noise.BenchCipher;

/**
 * The machine's limits for one libp2p connection (issue 6, end-to-end item 1), without any weft code: what weft's
 * tcp/noise/yamux throughput is compared with.
 *
 * <ul>
 *   <li>{@code tcp_raw}: loopback TCP between two virtual threads, 64 KiB {@code write}s from a {@code byte[]}, 64
 *       KiB {@code read}s; bytes delivered per second.
 *   <li>{@code noise_pipeline}: the same socket pair, but each 65519-byte chunk (the largest Noise plaintext) is
 *       sealed with the JDK's ChaCha20-Poly1305 (weft's {@code JdkChaChaPoly}: cached {@code Cipher}, a fresh
 *       {@code 00000000 || LE64(n)} nonce per message) behind its 2-byte length, one socket write per 65537-byte frame; the reader reads the length,
 *       then the body, then opens it. Plaintext bytes per second. This is {@code reference/jvm-limits.md} §4b.
 *   <li>{@code noise_pipeline_weft}: the same with weft's ChaCha20-Poly1305 (the JDK's ChaCha20 with weft's
 *       Poly1305, {@code weft.security.noise.WeftChaChaPoly}), which weft's Noise uses where the JDK's Poly1305
 *       intrinsic is off: the ceiling for weft's tcp/noise/yamux on such a machine.
 * </ul>
 * Both sockets set {@code TCP_NODELAY}, as weft's TCP transport does. Each run is timed from the writer's start to
 * both threads' end (connect excluded), in wall-clock and process CPU time; a warm-up run comes first and is not
 * counted. The reader checks the byte count and, for Noise, every tag.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar weft.bench.limits.TcpLimit [bytes per run (1 GiB)] [runs (5)] [raw|noise|both]
 * </pre>
 */
public final class TcpLimit {
    /** 64 KiB: the write and read size of the raw runs (jvm-limits.md §4a). */
    static final int RAW_CHUNK = 64 * 1024;
    /** Noise spec "Wire Format": a message is at most 65535 bytes, 16 of them the tag, so 65519 of plaintext. */
    static final int NOISE_PLAINTEXT = 65535 - 16;

    private TcpLimit() {}

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 1L << 30;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String which = args.length > 2 ? args[2] : "both";
        System.out.printf(Locale.ROOT, "TcpLimit: %d MiB per run, %d runs (+1 warm-up), %s%n", total >> 20, runs,
                Runtime.version());
        if (!which.equals("noise")) {
            Results.throughput("tcp_raw", measure(total, runs, null));
        }
        if (!which.equals("raw")) {
            Results.throughput("noise_pipeline", measure(total, runs, "jdk"));
            Results.throughput("noise_pipeline_weft", measure(total, runs, "weft"));
        }
    }

    /** {@code cipher}: null for raw TCP, else a {@link BenchCipher} kind. */
    private static List<Results.Run> measure(long total, int runs, String cipher) throws Exception {
        boolean noise = cipher != null;
        List<Results.Run> results = new ArrayList<>();
        for (int run = -1; run < runs; run++) {
            Results.Run result = once(total, cipher);
            if (run >= 0) {
                results.add(result);
                System.out.printf(Locale.ROOT, "  %s run %d: %.3f GB/s, CPU %.3f s/GiB%n",
                        noise ? "noise_pipeline " + cipher : "tcp_raw", run + 1, result.bytesPerSecond() / 1e9,
                        result.cpuSecondsPerGiB());
            }
        }
        return results;
    }

    /**
     * One Noise pipeline run of {@code total} bytes on a fresh connection (for runners that interleave it), with the
     * cipher weft's Noise uses in this JVM.
     */
    public static Results.Run noisePipelineRun(long total) throws Exception {
        return once(total, "default");
    }

    /** One run on a fresh connection, timed from the writer's start to the reader's last byte. */
    private static Results.Run once(long total, String cipher) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            byte[] key = new byte[32];
            new Random(1).nextBytes(key);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] got = new long[1];
            client.setTcpNoDelay(true); // as weft's TCP transport
            accepted.setTcpNoDelay(true);
            Results.Run run = Results.Run.time(total,
                    () -> transfer(client, accepted, total, cipher, key, failure, got));
            if (failure.get() != null) {
                throw new IOException("limit: run failed", failure.get());
            }
            if (got[0] != total) {
                throw new IOException("limit: received " + got[0] + " of " + total + " bytes");
            }
            return run;
        }
    }

    private static void transfer(Socket client, Socket accepted, long total, String cipher, byte[] key,
            AtomicReference<Throwable> failure, long[] got) throws InterruptedException {
        boolean noise = cipher != null;
        Thread writer = Thread.ofVirtual().name("limit-writer").start(() -> {
            try {
                if (noise) {
                    writeNoise(client.getOutputStream(), total, BenchCipher.of(cipher, key));
                } else {
                    writeRaw(client.getOutputStream(), total);
                }
                client.shutdownOutput();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        Thread reader = Thread.ofVirtual().name("limit-reader").start(() -> {
            try {
                got[0] = noise ? readNoise(accepted.getInputStream(), BenchCipher.of(cipher, key)) : readRaw(accepted.getInputStream());
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        reader.join();
        writer.join();
    }

    private static void writeRaw(OutputStream out, long total) throws IOException {
        byte[] chunk = new byte[RAW_CHUNK];
        new Random(2).nextBytes(chunk);
        for (long sent = 0; sent < total; ) {
            int n = (int) Math.min(RAW_CHUNK, total - sent);
            out.write(chunk, 0, n);
            sent += n;
        }
    }

    private static long readRaw(InputStream in) throws IOException {
        byte[] buffer = new byte[RAW_CHUNK];
        long received = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            received += n;
        }
        return received;
    }

    private static void writeNoise(OutputStream out, long total, BenchCipher cipher) throws Exception {
        byte[] plaintext = new byte[NOISE_PLAINTEXT];
        new Random(2).nextBytes(plaintext);
        byte[] frame = new byte[2 + NOISE_PLAINTEXT + 16];
        long counter = 0;
        for (long sent = 0; sent < total; ) {
            int n = (int) Math.min(NOISE_PLAINTEXT, total - sent);
            int sealed = cipher.seal(counter++, plaintext, 0, n, frame, 2);
            frame[0] = (byte) (sealed >>> 8);
            frame[1] = (byte) sealed;
            out.write(frame, 0, 2 + sealed);
            sent += n;
        }
    }

    private static long readNoise(InputStream in, BenchCipher cipher) throws Exception {
        byte[] length = new byte[2];
        byte[] message = new byte[NOISE_PLAINTEXT + 16];
        byte[] plaintext = new byte[NOISE_PLAINTEXT];
        long counter = 0;
        long received = 0;
        while (true) {
            int got = in.readNBytes(length, 0, 2);
            if (got == 0) {
                return received;
            }
            int len = (length[0] & 0xff) << 8 | (length[1] & 0xff);
            if (got < 2 || in.readNBytes(message, 0, len) < len) {
                throw new EOFException("limit: stream ended inside a frame");
            }
            received += cipher.open(counter++, message, 0, len, plaintext, 0); // AEADBadTagException on a bad tag
        }
    }
}
