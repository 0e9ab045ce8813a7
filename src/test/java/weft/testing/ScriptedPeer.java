package weft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The far end of a yamux session, scripted by a test (OkHttp's {@code MockHttp2Peer}): it writes raw frames and
 * hands back, one at a time, the frames the session under test wrote, so tests assert on the bytes. Frames are
 * encoded here from the spec, independently of the code under test.
 *
 * <p>{@link #takeFrame()} waits at most {@value #TAKE_TIMEOUT_SECONDS} s so that a missing frame fails the test
 * instead of hanging it. {@link #sync()} is the way to assert that nothing else was sent: it pings and requires the
 * pong to be the next frame.
 */
public final class ScriptedPeer implements AutoCloseable {
    public static final int DATA = 0, WINDOW_UPDATE = 1, PING = 2, GO_AWAY = 3;
    public static final int SYN = 1, ACK = 2, FIN = 4, RST = 8;
    static final int TAKE_TIMEOUT_SECONDS = 10;
    private static final HexFormat HEX = HexFormat.of();

    /** A frame as read from the wire. Stream id and length are unsigned. */
    public record RawFrame(int version, int type, int flags, long streamId, long length, byte[] payload) {
        /** The 12 header bytes as hex, e.g. {@code 000100010000000100000000}. */
        public String headerHex() {
            return HEX.formatHex(header(type, flags, streamId, length)).substring(0, 24);
        }

        @Override
        public String toString() {
            return "frame type=" + type + " flags=" + flags + " stream=" + streamId + " length=" + length;
        }
    }

    private static final RawFrame END = new RawFrame(-1, -1, 0, 0, 0, new byte[0]);

    private final MemoryPipe.End end;
    private final OutputStream out;
    private final LinkedBlockingQueue<RawFrame> received = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile IOException readFailure;
    private int nextPing = 0x7000_0000;

    public ScriptedPeer(MemoryPipe.End end) {
        this.end = end;
        this.out = end.output();
        InputStream in = end.input();
        this.reader = Thread.ofVirtual().name("scripted-peer").start(() -> {
            try {
                byte[] h = new byte[12];
                while (in.readNBytes(h, 0, 12) == 12) {
                    int type = h[1] & 0xff;
                    long length = Integer.toUnsignedLong(getInt(h, 8));
                    byte[] payload = type == DATA ? in.readNBytes((int) length) : new byte[0];
                    received.add(new RawFrame(h[0] & 0xff, type, (h[2] & 0xff) << 8 | (h[3] & 0xff),
                            Integer.toUnsignedLong(getInt(h, 4)), length, payload));
                }
            } catch (IOException e) {
                readFailure = e;
            }
            received.add(END);
        });
    }

    /** Encodes a 12-byte header (payload not included). */
    public static byte[] header(int type, int flags, long streamId, long length) {
        byte[] h = new byte[12];
        h[1] = (byte) type;
        h[2] = (byte) (flags >>> 8);
        h[3] = (byte) flags;
        putInt(h, 4, (int) streamId);
        putInt(h, 8, (int) length);
        return h;
    }

    /** Writes raw bytes to the session. */
    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes raw bytes given as hex (spaces allowed). */
    public void sendHex(String hex) throws IOException {
        send(HEX.parseHex(hex.replace(" ", "")));
    }

    /** Writes a header-only frame. */
    public void sendFrame(int type, int flags, long streamId, long length) throws IOException {
        send(header(type, flags, streamId, length));
    }

    /** Writes a DATA frame with its payload. */
    public void sendData(int flags, long streamId, byte[] payload) throws IOException {
        byte[] frame = new byte[12 + payload.length];
        System.arraycopy(header(DATA, flags, streamId, payload.length), 0, frame, 0, 12);
        System.arraycopy(payload, 0, frame, 12, payload.length);
        send(frame);
    }

    /** The next frame the session sent; fails the test if none comes or the session closed the connection. */
    public RawFrame takeFrame() throws InterruptedException {
        RawFrame f = received.poll(TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            fail("scripted peer: no frame within " + TAKE_TIMEOUT_SECONDS + " s");
        }
        if (f == END) {
            received.add(END);
            fail("scripted peer: connection ended" + (readFailure != null ? " (" + readFailure + ")" : ""));
        }
        return f;
    }

    /** Takes the next frame and asserts its 12 header bytes (hex, spaces ignored). */
    public RawFrame expectFrame(String headerHex) throws InterruptedException {
        RawFrame f = takeFrame();
        assertEquals(headerHex.replace(" ", ""), f.headerHex(), () -> "unexpected " + f);
        return f;
    }

    /** Takes frames until one that is not a PING with SYN (skipping RTT pings), answering none of them. */
    public RawFrame takeFrameSkippingPings() throws InterruptedException {
        while (true) {
            RawFrame f = takeFrame();
            if (!(f.type() == PING && f.flags() == SYN)) {
                return f;
            }
        }
    }

    /** Answers {@code ping}, a PING with SYN the session sent, with its pong. */
    public void pong(RawFrame ping) throws IOException {
        sendFrame(PING, ACK, 0, ping.length());
    }

    /**
     * Asserts the session sent nothing else so far: sends a PING and requires its pong to be the next frame.
     * (Control frames are written before queued data, so this covers what the session queued as control.)
     */
    public void sync() throws IOException, InterruptedException {
        int id = nextPing++;
        sendFrame(PING, SYN, 0, id);
        RawFrame f = takeFrame();
        assertEquals(HEX.formatHex(header(PING, ACK, 0, id)), f.headerHex(), () -> "expected our pong, got " + f);
    }

    /** Waits until the session closed the connection (end of stream after any remaining frames), returning them. */
    public java.util.List<RawFrame> framesUntilEnd() throws InterruptedException {
        java.util.List<RawFrame> frames = new java.util.ArrayList<>();
        while (true) {
            RawFrame f = received.poll(TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (f == null) {
                fail("scripted peer: connection did not end within " + TAKE_TIMEOUT_SECONDS + " s");
            }
            if (f == END) {
                received.add(END);
                return frames;
            }
            frames.add(f);
        }
    }

    public MemoryPipe.End end() {
        return end;
    }

    @Override
    public void close() {
        end.close();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
