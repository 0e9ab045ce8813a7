package weft.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.io.DuplexStream;
import weft.testing.TraceRecorder;

/** Golden tests: multistream-select negotiations against a scripted peer produce exactly these trace lines. */
class MultistreamTraceTest {
    private final TraceRecorder recorder = new TraceRecorder();

    private DuplexStream traced(ScriptedStream peer) {
        return DuplexStream.traced(peer, recorder.trace("c1", TraceRecorder.ticking(Duration.ofMillis(1))));
    }

    private static byte[] peerSends(String... messages) {
        return MessageCodec.encode(messages);
    }

    @Test
    void aDialerThatIsDeclinedOnceTracesEveryMessageBothWays() throws IOException {
        ScriptedStream peer = new ScriptedStream(peerSends("/multistream/1.0.0", "na", "/noise"));
        assertEquals("/noise", MultistreamSelect.select(traced(peer), List.of("/tls/1.0.0", "/noise")));
        assertEquals(List.of(
                "+0.000ms c1 → multistream /multistream/1.0.0",
                "+1.000ms c1 → multistream /tls/1.0.0",
                "+2.000ms c1 ← multistream /multistream/1.0.0",
                "+3.000ms c1 ← multistream na",
                "+4.000ms c1 → multistream /noise",
                "+5.000ms c1 ← multistream /noise"), recorder.lines());
    }

    @Test
    void aListenerTracesItsHeaderWithTheFirstAnswerWhenTheDialerPipelined() throws IOException {
        ScriptedStream peer = new ScriptedStream(peerSends("/multistream/1.0.0", "/yamux/1.0.0", "/mplex/6.7.0"));
        assertEquals("/mplex/6.7.0", MultistreamSelect.handle(traced(peer), List.of("/mplex/6.7.0")));
        assertEquals(List.of(
                "+0.000ms c1 ← multistream /multistream/1.0.0",
                "+1.000ms c1 ← multistream /yamux/1.0.0",
                "+2.000ms c1 → multistream /multistream/1.0.0",
                "+3.000ms c1 → multistream na",
                "+4.000ms c1 ← multistream /mplex/6.7.0",
                "+5.000ms c1 → multistream /mplex/6.7.0"), recorder.lines());
    }

    @Test
    void anLsAnswerIsOneEventWithTheProtocolList() throws IOException {
        ScriptedStream peer = new ScriptedStream(peerSends("/multistream/1.0.0", "ls", "/ipfs/ping/1.0.0"));
        MultistreamSelect.handle(traced(peer), List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"));
        assertEquals(List.of(
                "+0.000ms c1 ← multistream /multistream/1.0.0",
                "+1.000ms c1 ← multistream ls",
                "+2.000ms c1 → multistream /multistream/1.0.0",
                "+3.000ms c1 → multistream ls answer protocols=[/ipfs/id/1.0.0, /ipfs/ping/1.0.0]",
                "+4.000ms c1 ← multistream /ipfs/ping/1.0.0",
                "+5.000ms c1 → multistream /ipfs/ping/1.0.0"), recorder.lines());
    }

    @Test
    void aLazyDialerTracesItsProposalWhenItLeavesWithTheFirstDataAndTheAnswerWhenItIsRead() throws IOException {
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.writeBytes(peerSends("/multistream/1.0.0", "/echo/1.0.0"));
        script.writeBytes(new byte[] {'h', 'i'});
        ScriptedStream peer = new ScriptedStream(script.toByteArray());
        DuplexStream lazy = MultistreamSelect.selectLazily(traced(peer), "/echo/1.0.0");
        lazy.output().write(new byte[] {'h', 'i'});
        assertEquals(2, lazy.input().readNBytes(2).length);
        assertEquals(List.of(
                "+0.000ms c1 → multistream /multistream/1.0.0",
                "+1.000ms c1 → multistream /echo/1.0.0",
                "+2.000ms c1 ← multistream /multistream/1.0.0",
                "+3.000ms c1 ← multistream /echo/1.0.0"), recorder.lines());
    }

    @Test
    void anUntracedStreamReportsNothing() throws IOException {
        ScriptedStream peer = new ScriptedStream(peerSends("/multistream/1.0.0", "na"));
        assertThrows(ProtocolNotSupportedException.class, () -> MultistreamSelect.select(peer, List.of("/tls/1.0.0")));
        assertEquals(List.of(), recorder.lines());
    }
}
