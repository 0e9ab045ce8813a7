package weft.bench.noise;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import weft.bench.Results;
import weft.crypto.PrivateKey;
import weft.io.DuplexStream;
import weft.security.SecureConnection;
import weft.security.noise.NoiseSecureChannel;

/**
 * End-to-end Noise over loopback TCP with weft's own classes: handshakes per second (each on a new TCP connection,
 * connect included) and the throughput of one secured connection, one writer thread and one reader thread.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar weft.bench.noise.NoisePerf [bytes per run] [write size] [runs] [handshakes]
 * </pre>
 *
 * A warm-up run of each comes first and is not counted. Prints each run and the median, and {@code RESULT} lines
 * ({@link Results}) for {@code bench/run.sh}. Not JMH: the cost being measured spans two threads and the kernel.
 */
public final class NoisePerf {
    private NoisePerf() {}

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 1L << 30;
        int writeSize = args.length > 1 ? Integer.parseInt(args[1]) : 256 * 1024;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int handshakes = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        NoiseSecureChannel dialer = new NoiseSecureChannel(PrivateKey.generate());
        NoiseSecureChannel listener = new NoiseSecureChannel(PrivateKey.generate());

        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            double[] rates = new double[runs];
            for (int run = -1; run < runs; run++) { // run -1 warms up and is not counted
                long start = System.nanoTime();
                for (int i = 0; i < handshakes; i++) {
                    SecureConnection[] pair = connect(server, dialer, listener);
                    pair[0].close();
                    pair[1].close();
                }
                double rate = handshakes / ((System.nanoTime() - start) / 1e9);
                if (run >= 0) {
                    rates[run] = rate;
                    System.out.printf("handshakes run %d: %.0f/s (TCP connect included)%n", run + 1, rate);
                }
            }
            System.out.printf("handshakes median: %.0f/s%n", median(rates));
            Results.value("weft_noise_handshakes_tcp", "handshakes/s", median(rates));

            double[] throughput = new double[runs];
            for (int run = -1; run < runs; run++) { // run -1 warms up and is not counted
                SecureConnection[] pair = connect(server, dialer, listener);
                double rate = transfer(pair[0], pair[1], total, writeSize);
                if (run >= 0) {
                    throughput[run] = rate;
                    System.out.printf("throughput run %d: %.3f GB/s (%d MiB, %d-byte writes)%n", run + 1,
                            rate / 1e9, total >> 20, writeSize);
                }
                pair[0].close();
                pair[1].close();
            }
            System.out.printf("throughput median: %.2f GB/s%n", median(throughput) / 1e9);
            Results.throughput("weft_noise", throughput);
        }
    }

    private static SecureConnection[] connect(ServerSocket server, NoiseSecureChannel dialer,
            NoiseSecureChannel listener) throws Exception {
        CompletableFuture<SecureConnection> inbound = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.secureInbound(stream(server.accept()));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        Socket socket = new Socket(server.getInetAddress(), server.getLocalPort());
        SecureConnection outbound = dialer.secureOutbound(stream(socket), null);
        return new SecureConnection[] {outbound, inbound.get()};
    }

    /** Bytes per second from {@code from} to {@code to}. */
    private static double transfer(SecureConnection from, SecureConnection to, long total, int writeSize)
            throws Exception {
        byte[] data = new byte[writeSize];
        Arrays.fill(data, (byte) 7);
        long start = System.nanoTime();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = from.output();
                for (long sent = 0; sent < total; sent += writeSize) {
                    out.write(data, 0, (int) Math.min(writeSize, total - sent));
                }
                out.flush();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        InputStream in = to.input();
        while (received < total) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("eof after " + received + " bytes");
            }
            received += n;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        writer.join();
        return total / seconds;
    }

    private static DuplexStream stream(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        return new DuplexStream() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    private static double median(double[] values) {
        return Results.median(values);
    }
}
