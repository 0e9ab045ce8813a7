package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import weft.mux.MuxedStream;
import weft.testing.ManualClock;
import weft.testing.MemoryPipe;

/** Window updates on read, auto-tuning, back-pressure, and many streams through small windows. */
class YamuxFlowControlTest extends ScriptedYamuxTestBase {

    @Test
    void aWindowUpdateIsSentOnlyOnceHalfTheWindowWasRead() throws Exception {
        start(false);
        MuxedStream s = acceptFromPeer(1);
        peer.sendData(0, 1, new byte[128 * KIB]);
        s.input().readNBytes(128 * KIB - 1);
        peer.sync(); // no update below half the window
        s.input().readNBytes(1);
        peer.expectFrame("00 01 0000 00000001 00020000"); // refills to 256 KiB: 128 KiB
    }

    @Test
    void readsFasterThanFourRttDoubleTheWindowAndSlowOnesDoNot() throws Exception {
        start(false, quiet(clock).withMeasureRttInterval(Duration.ofSeconds(30)));
        var ping = peer.expectFrame("00 02 0001 00000000 00000000");
        clock.advance(Duration.ofMillis(10));
        peer.pong(ping);
        peer.sync();
        MuxedStream s = acceptFromPeer(1); // its window epoch starts now
        peer.sendData(0, 1, new byte[128 * KIB]);
        s.input().readNBytes(128 * KIB); // no time passed: faster than 4 x 10 ms
        peer.expectFrame("00 01 0000 00000001 00060000"); // window 512 KiB: 384 KiB more
        clock.advance(Duration.ofSeconds(1));
        peer.sendData(0, 1, new byte[256 * KIB]);
        s.input().readNBytes(256 * KIB); // 1 s since the last update: slower than 4 x RTT
        peer.expectFrame("00 01 0000 00000001 00040000"); // refill only, window stays 512 KiB
        assertEquals(512 * KIB, ((YamuxStream) s).receiveWindow.window());
    }

    /** Two sessions over one in-memory pipe, sharing a manual clock. */
    record Pair(YamuxSession dialer, YamuxSession listener) implements AutoCloseable {
        static Pair start(YamuxConfig config) {
            MemoryPipe.Pair pipe = MemoryPipe.pair(256 * 1024);
            Yamux yamux = new Yamux(config);
            return new Pair(yamux.start(pipe.a(), true), yamux.start(pipe.b(), false));
        }

        @Override
        public void close() throws IOException {
            dialer.close();
            listener.close();
        }
    }

    @Test
    void aSlowReaderMakesTheWriterBlockInsteadOfBuffering() throws Exception {
        try (Pair p = Pair.start(quiet(clock).withMaxStreamWindow(256 * KIB))) {
            MuxedStream out = p.dialer().openStream();
            byte[] data = new byte[1024 * KIB];
            new Random(1).nextBytes(data);
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    out.write(data, 0, data.length);
                    out.closeWrite();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            YamuxStream in = (YamuxStream) p.listener().acceptStream();
            YamuxStream writer = (YamuxStream) out;
            while (!writer.sendWindow.hasWaiters() || in.buffer.size() < 256 * KIB) {
                Thread.onSpinWait();
                Thread.yield();
            }
            assertEquals(256 * KIB, in.buffer.size()); // exactly the window, no more
            assertFalse(written.isDone());
            byte[] got = in.input().readAllBytes();
            written.get();
            assertEquals(crc(data), crc(got));
        }
    }

    @Test
    void theWindowGrowsToTheMaxOnATransferWithMeasuredRtt() throws Exception {
        ManualClock still = new ManualClock(); // time stands still: every update is "fast"
        YamuxConfig config = quiet(still).withMeasureRttInterval(Duration.ofSeconds(30));
        try (Pair p = Pair.start(config)) {
            while (p.listener().rtt().isZero()) {
                Thread.onSpinWait();
                Thread.yield();
            }
            MuxedStream out = p.dialer().openStream();
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    byte[] chunk = new byte[1024 * KIB];
                    for (int i = 0; i < 48; i++) {
                        out.write(chunk, 0, chunk.length);
                    }
                    out.closeWrite();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            YamuxStream in = (YamuxStream) p.listener().acceptStream();
            assertEquals(48L * 1024 * KIB, in.input().transferTo(java.io.OutputStream.nullOutputStream()));
            written.get();
            assertEquals(YamuxConfig.DEFAULT_MAX_STREAM_WINDOW, in.receiveWindow.window());
        }
    }

    /**
     * 1000 streams at once, each moving 1 MiB one way through 256 KiB windows that never grow: no deadlock, and every
     * byte arrives (CRC32 per stream). Data is generated and checked in 64 KiB chunks so the heap holds only what
     * flow control lets through.
     */
    @Test
    void aThousandStreamsEachMovingOneMebibyteThroughSmallWindowsLoseNoByte() throws Exception {
        int streams = 1000;
        int chunks = 16;
        int chunk = 64 * KIB;
        try (Pair p = Pair.start(quiet(clock).withMaxStreamWindow(256 * KIB))) {
            ConcurrentHashMap<Long, Long> sent = new ConcurrentHashMap<>();
            ConcurrentHashMap<Long, Long> received = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        MuxedStream s = p.dialer().openStream();
                        Random random = new Random(s.id());
                        CRC32 crc = new CRC32();
                        byte[] data = new byte[chunk];
                        for (int c = 0; c < chunks; c++) {
                            random.nextBytes(data);
                            crc.update(data);
                            s.write(data, 0, chunk);
                        }
                        s.closeWrite();
                        sent.put(s.id(), crc.getValue());
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            for (int i = 0; i < streams; i++) {
                MuxedStream s = p.listener().acceptStream();
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        CRC32 crc = new CRC32();
                        byte[] buf = new byte[16 * KIB];
                        long total = 0;
                        for (int n; (n = s.read(buf, 0, buf.length)) >= 0; ) {
                            crc.update(buf, 0, n);
                            total += n;
                        }
                        assertEquals((long) chunks * chunk, total);
                        received.put(s.id(), crc.getValue());
                        s.close();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(streams, sent.size());
            assertEquals(sent, received);
        }
    }

    static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }
}
