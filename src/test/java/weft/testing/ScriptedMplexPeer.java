package weft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The far end of an mplex session, scripted by a test (the mplex counterpart of {@link ScriptedPeer}, after OkHttp's
 * {@code MockHttp2Peer}): it writes raw frames and hands back, one at a time, the frames the session under test
 * wrote, so tests assert on the bytes. Frames are encoded and decoded here from the spec ("header = readUvarint();
 * flag = header &amp; 0x07; id = header &gt;&gt; 3", then a uvarint length and the data), independently of the code
 * under test.
 *
 * <p>{@link #takeFrame()} waits at most {@value #TAKE_TIMEOUT_SECONDS} s so that a missing frame fails the test
 * instead of hanging it. mplex has no ping, so "nothing else was sent" is asserted by closing the session and
 * reading {@link #framesUntilEnd()}, or with a frame the session must send next.
 */
public final class ScriptedMplexPeer implements AutoCloseable {
    public static final int NEW_STREAM = 0, MESSAGE_RECEIVER = 1, MESSAGE_INITIATOR = 2, CLOSE_RECEIVER = 3,
            CLOSE_INITIATOR = 4, RESET_RECEIVER = 5, RESET_INITIATOR = 6;
    static final int TAKE_TIMEOUT_SECONDS = 10;
    private static final HexFormat HEX = HexFormat.of();

    /** A frame as read from the wire, with its exact bytes. */
    public record RawFrame(long streamId, int flag, byte[] data, byte[] bytes) {
        /** The whole frame as hex, e.g. {@code 020568656c6c6f}. */
        public String hex() {
            return HEX.formatHex(bytes);
        }

        /** The header and length varints as hex, without the data. */
        public String headerHex() {
            return HEX.formatHex(bytes, 0, bytes.length - data.length);
        }

        @Override
        public String toString() {
            return "frame flag=" + flag + " stream=" + streamId + " length=" + data.length;
        }
    }

    private static final RawFrame END = new RawFrame(-1, -1, new byte[0], new byte[0]);

    private final MemoryPipe.End end;
    private final OutputStream out;
    private final LinkedBlockingQueue<RawFrame> received = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile IOException readFailure;

    public ScriptedMplexPeer(MemoryPipe.End end) {
        this.end = end;
        this.out = end.output();
        InputStream in = end.input();
        this.reader = Thread.ofVirtual().name("scripted-mplex-peer").start(() -> {
            try {
                while (true) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    long header = readVarint(in, raw);
                    if (header < 0) {
                        break;
                    }
                    long length = readVarint(in, raw);
                    byte[] data = in.readNBytes((int) length);
                    if (data.length < length) {
                        throw new EOFException("scripted mplex peer: frame cut short");
                    }
                    raw.writeBytes(data);
                    received.add(new RawFrame(header >>> 3, (int) (header & 7), data, raw.toByteArray()));
                }
            } catch (IOException e) {
                readFailure = e;
            }
            received.add(END);
        });
    }

    /** The unsigned varint of {@code value} (protobuf base-128, least significant group first). */
    public static byte[] varint(long value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while ((value & ~0x7fL) != 0) {
            b.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        b.write((int) value);
        return b.toByteArray();
    }

    /** A whole frame: {@code varint(id << 3 | flag)}, {@code varint(data.length)}, {@code data}. */
    public static byte[] frame(long streamId, int flag, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(varint(streamId << 3 | flag));
        b.writeBytes(varint(data.length));
        b.writeBytes(data);
        return b.toByteArray();
    }

    /** Reads a varint, appending its bytes to {@code raw}; -1 at end of stream before the first byte. */
    private static long readVarint(InputStream in, ByteArrayOutputStream raw) throws IOException {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.read();
            if (b < 0) {
                if (shift == 0) {
                    return -1;
                }
                throw new EOFException("scripted mplex peer: varint cut short");
            }
            raw.write(b);
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
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

    /** Writes one frame. */
    public void sendFrame(long streamId, int flag, byte[] data) throws IOException {
        send(frame(streamId, flag, data));
    }

    /** Writes a frame without data (NewStream with an empty name, Close, Reset). */
    public void sendFrame(long streamId, int flag) throws IOException {
        send(frame(streamId, flag, new byte[0]));
    }

    /** Ends the peer's output: the session reads end of stream after what was sent. */
    public void endOutput() throws IOException {
        out.close();
    }

    /** The next frame the session sent; fails the test if none comes or the session closed the connection. */
    public RawFrame takeFrame() throws InterruptedException {
        RawFrame f = received.poll(TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            fail("scripted mplex peer: no frame within " + TAKE_TIMEOUT_SECONDS + " s");
        }
        if (f == END) {
            received.add(END);
            fail("scripted mplex peer: connection ended" + (readFailure != null ? " (" + readFailure + ")" : ""));
        }
        return f;
    }

    /** Takes the next frame and asserts all its bytes (hex, spaces ignored). */
    public RawFrame expectFrame(String hex) throws InterruptedException {
        RawFrame f = takeFrame();
        assertEquals(hex.replace(" ", ""), f.hex(), () -> "unexpected " + f);
        return f;
    }

    /** Takes the next frame and asserts its header and length bytes (hex, spaces ignored). */
    public RawFrame expectHeader(String hex) throws InterruptedException {
        RawFrame f = takeFrame();
        assertEquals(hex.replace(" ", ""), f.headerHex(), () -> "unexpected " + f);
        return f;
    }

    /** Waits until the session closed the connection (end of stream after any remaining frames), returning them. */
    public List<RawFrame> framesUntilEnd() throws InterruptedException {
        List<RawFrame> frames = new ArrayList<>();
        while (true) {
            RawFrame f = received.poll(TAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (f == null) {
                fail("scripted mplex peer: connection did not end within " + TAKE_TIMEOUT_SECONDS + " s");
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
}
