package weft.protocol.ping;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ProtocolViolationException;
import weft.mux.MuxedStream;

/**
 * The ping protocol, {@code /ipfs/ping/1.0.0} (libp2p specs {@code ping/ping.md}, r0 2022-11-04): "The client
 * sends a payload of 32 random bytes, and the server responds with the same 32 bytes. The client then measures the
 * RTT from the time it wrote the bytes to the time it received the bytes. The client may repeat the process by
 * sending another payload with random bytes, so the server should loop and echo the next payload."
 *
 * <pre>{@code
 * Duration rtt = Ping.ping(stream);     // client, as often as it likes on one stream
 * stream.closeWrite();                  // "the client may close the write side of the stream"
 * Ping.serve(stream);                   // server: echoes until the client's FIN, then closes
 * }</pre>
 */
public final class Ping {
    private static final Logger log = LoggerFactory.getLogger(Ping.class);

    public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";

    /** "a payload of 32 random bytes" (ping spec); go-libp2p's {@code PingSize}. */
    public static final int PAYLOAD_SIZE = 32;

    /**
     * A server closes a stream that sends no ping for this long: go-libp2p's {@code pingTimeout}
     * ({@code p2p/protocol/ping/ping.go}); js-libp2p's ping times out after 10 s too.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    private static final RandomGenerator RANDOM = new SecureRandom();

    private Ping() {}

    /**
     * Sends one ping on {@code stream} and waits for it to come back.
     *
     * @return the time from writing the payload to having read its echo
     * @throws ProtocolViolationException if different bytes come back
     * @throws EOFException if the stream ends first
     */
    public static Duration ping(MuxedStream stream) throws IOException {
        return ping(stream, RANDOM);
    }

    static Duration ping(MuxedStream stream, RandomGenerator random) throws IOException {
        return ping(stream, random, System::nanoTime);
    }

    /** A ping timed on {@code clock} (tests: a manual one). */
    static Duration ping(MuxedStream stream, RandomGenerator random, LongSupplier clock) throws IOException {
        byte[] payload = new byte[PAYLOAD_SIZE];
        random.nextBytes(payload);
        long start = clock.getAsLong();
        stream.write(payload, 0, PAYLOAD_SIZE);
        byte[] echoed = stream.input().readNBytes(PAYLOAD_SIZE);
        long end = clock.getAsLong();
        if (echoed.length < PAYLOAD_SIZE) {
            throw new EOFException("ping: stream ended after " + echoed.length + " of " + PAYLOAD_SIZE
                    + " echoed bytes");
        }
        if (!Arrays.equals(payload, echoed)) {
            throw new ProtocolViolationException("ping: the peer echoed different bytes (" + PAYLOAD_SIZE + " bytes)");
        }
        Duration rtt = Duration.ofNanos(end - start);
        if (stream.trace().on()) stream.trace().local("ping").word("event", "pong").pair("rtt", rtt).emit();
        return rtt;
    }

    /**
     * Serves one ping stream: echoes each 32-byte payload until the client half-closes, then closes the stream.
     * A client that stays silent for {@link #IDLE_TIMEOUT} gets its stream closed, as go-libp2p does.
     *
     * @throws EOFException if the client half-closes in the middle of a payload
     */
    public static void serve(MuxedStream stream) throws IOException {
        serve(stream, IDLE_TIMEOUT);
    }

    static void serve(MuxedStream stream, Duration idleTimeout) throws IOException {
        byte[] payload = new byte[PAYLOAD_SIZE];
        stream.setReadTimeout(idleTimeout);
        int pings = 0;
        try {
            while (true) {
                int n = stream.input().readNBytes(payload, 0, PAYLOAD_SIZE);
                if (n == 0) {
                    break;
                }
                if (n < PAYLOAD_SIZE) {
                    throw new EOFException("ping: stream ended inside a payload (" + n + " of " + PAYLOAD_SIZE
                            + " bytes)");
                }
                stream.write(payload, 0, PAYLOAD_SIZE);
                pings++;
            }
        } catch (SocketTimeoutException e) {
            log.debug("ping: no ping for {} ms after {} pings, closing the stream", idleTimeout.toMillis(), pings);
        }
        if (stream.trace().on()) stream.trace().local("ping").word("event", "served").pair("pings", pings).emit();
        stream.close();
    }
}
