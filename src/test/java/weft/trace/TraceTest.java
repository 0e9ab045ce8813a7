package weft.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class TraceTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final LongSupplier clock = now::get;

    @Test
    void aFrameEventRendersAsOneHumanLineInTheFixedFormat() {
        List<String> lines = new ArrayList<>();
        Trace trace = Trace.start(TraceListener.lines(lines::add), "c3", clock);
        trace.sent("multistream").word("message", "/noise").emit();
        now.addAndGet(412_000);
        trace.received("yamux").word("type", "WINDOW_UPDATE").word("flags", "ACK").pair("stream", 1L)
                .pair("delta", 0L).note("send_window", 262144L).emit();
        assertEquals(List.of(
                "+0.000ms c3 → multistream /noise",
                "+0.412ms c3 ← yamux WINDOW_UPDATE ACK stream=1 delta=0 (send window 262144)"), lines);
    }

    @Test
    void theJsonLineHasTheSameFieldsInTheSameOrder() {
        List<String> lines = new ArrayList<>();
        Trace trace = Trace.start(TraceListener.jsonLines(lines::add), "c3", clock);
        trace.stream(5).local("ping").word("event", "pong").pair("rtt", Duration.ofNanos(1_500_000)).emit();
        trace.received("identify").word("agent", "js \"libp2p\"\n").pair("protocols", List.of("/a", "/b"))
                .pair("signed", true).emit();
        assertEquals(List.of(
                "{\"t_ms\":0.000,\"conn\":\"c3\",\"dir\":\"local\",\"layer\":\"ping\",\"stream\":5,\"event\":\"pong\","
                        + "\"rtt\":1.500}",
                "{\"t_ms\":0.000,\"conn\":\"c3\",\"dir\":\"in\",\"layer\":\"identify\",\"agent\":\"js \\\"libp2p\\\"\\n\","
                        + "\"protocols\":[\"/a\",\"/b\"],\"signed\":true}"), lines);
    }

    @Test
    void aStreamTraceAddsItsStreamIdAfterTheWordsAndPairsWithSpacesAreQuoted() {
        List<String> lines = new ArrayList<>();
        Trace trace = Trace.start(TraceListener.lines(lines::add), "c1", clock).stream(3);
        trace.local("ping").word("event", "pong").pair("rtt", Duration.ofNanos(512_000)).pair("why", "a b")
                .pair("empty", "").pair("none", null).emit();
        assertEquals(List.of("+0.000ms c1 · ping pong stream=3 rtt=0.512ms why=\"a b\""), lines);
    }

    @Test
    void aDisabledListenerGivesATraceThatIsOffButStillNamesTheConnection() {
        TraceListener disabled = new TraceListener() {
            @Override
            public void event(TraceEvent event) {
                throw new AssertionError("no event when off");
            }

            @Override
            public boolean enabled() {
                return false;
            }
        };
        Trace trace = Trace.start(disabled, "c9", clock);
        assertFalse(trace.on());
        assertEquals("c9", trace.connection());
        assertSame(trace, trace.stream(1));
        assertFalse(Trace.OFF.on());
        assertSame(Trace.OFF, Trace.OFF.stream(7));
        assertFalse(Trace.start(TraceListener.OFF, "c1").on());
    }

    @Test
    void bothListenersOfAnAndGetEveryEventAndItIsEnabledWhenEitherIs() {
        List<String> human = new ArrayList<>();
        List<String> json = new ArrayList<>();
        TraceListener both = TraceListener.lines(human::add).and(TraceListener.jsonLines(json::add));
        assertTrue(both.enabled());
        assertTrue(TraceListener.OFF.and(TraceListener.lines(human::add)).enabled());
        assertFalse(TraceListener.OFF.and(TraceListener.OFF).enabled());
        Trace.start(both, "c1", clock).sent("multistream").word("message", "na").emit();
        assertEquals(List.of("+0.000ms c1 → multistream na"), human);
        assertEquals(1, json.size());
    }

    @Test
    void theSlf4jListenerIsEnabledOnlyWhileTheWeftTraceLoggerIsAtTrace() {
        // the test logging configuration leaves weft.trace at INFO
        assertFalse(TraceListener.slf4j().enabled());
        assertFalse(Trace.start(TraceListener.slf4j(), "c1").on());
    }

    @Test
    void summarizingCountsBulkEventsAndReportsThemBeforeTheConnectionsNextOtherEvent() {
        List<String> lines = new ArrayList<>();
        TraceListener summarizing = TraceListener.lines(lines::add).summarizing();
        Trace trace = Trace.start(summarizing, "c1", clock);
        for (int i = 0; i < 3; i++) {
            now.addAndGet(1_000_000);
            trace.sent("yamux").word("type", "DATA").pair("stream", 3L).pair("length", 100L).bulk(100).emit();
            trace.received("yamux").word("type", "WINDOW_UPDATE").pair("stream", 3L).pair("delta", 10L).bulk(10)
                    .emit();
        }
        trace.sent("yamux").word("type", "GO_AWAY").pair("code", 0L).emit();
        assertEquals(List.of(
                "+0.000ms c1 → yamux DATA stream=3 count=3 bytes=300 (summarized over 2.000ms)",
                "+0.000ms c1 ← yamux WINDOW_UPDATE stream=3 count=3 bytes=30 (summarized over 2.000ms)",
                "+2.000ms c1 → yamux GO_AWAY code=0"), lines);
    }

    @Test
    void anotherConnectionsEventDoesNotEndARunAndARunOfOneIsShownAsItIs() {
        List<String> lines = new ArrayList<>();
        TraceListener summarizing = TraceListener.lines(lines::add).summarizing();
        Trace c1 = Trace.start(summarizing, "c1", clock);
        Trace c2 = Trace.start(summarizing, "c2", clock);
        c1.sent("mplex").word("flag", "MESSAGE_INITIATOR").pair("stream", 1L).bulk(7).emit();
        c2.sent("mplex").word("flag", "NEW_STREAM").pair("stream", 0L).emit();
        c1.sent("mplex").word("flag", "CLOSE_INITIATOR").pair("stream", 1L).emit();
        assertEquals(List.of(
                "+0.000ms c2 → mplex NEW_STREAM stream=0",
                "+0.000ms c1 → mplex MESSAGE_INITIATOR stream=1",
                "+0.000ms c1 → mplex CLOSE_INITIATOR stream=1"), lines);
    }

    @Test
    void aRunOfBulkEventsIsSummarizedAtLeastOnceASecond() {
        List<String> lines = new ArrayList<>();
        Trace trace = Trace.start(TraceListener.lines(lines::add).summarizing(), "c1", clock);
        for (int i = 0; i < 5; i++) {
            trace.received("noise").word("message", "transport").pair("length", 65535L).bulk(65519).emit();
            now.addAndGet(400_000_000);
        }
        assertEquals(List.of(
                "+0.000ms c1 ← noise transport count=4 bytes=262076 (summarized over 1200.000ms)"), lines);
    }
}
