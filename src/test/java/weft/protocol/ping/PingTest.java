package weft.protocol.ping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;
import weft.mux.MuxedStream;
import weft.mux.StreamResetException;
import weft.testing.Background;
import weft.testing.StreamPair;

class PingTest {
    private final StreamPair pair = StreamPair.create();
    private final MuxedStream client = pair.left();
    private final MuxedStream server = pair.right();

    @Test
    void theServerEchoesEveryPingOnOneStreamAndClosesAfterTheClientsFin() throws Exception {
        Background<Void> serving = Background.start(() -> {
            Ping.serve(server);
            return null;
        });
        for (int i = 0; i < 5; i++) {
            Duration rtt = Ping.ping(client);
            assertFalse(rtt.isNegative());
        }
        client.closeWrite();
        assertEquals(-1, client.input().read());
        serving.join();
    }

    @Test
    void thePayloadIs32BytesFromTheRandomSource() throws Exception {
        byte[] expected = new byte[32];
        new Random(7).nextBytes(expected);
        Background<byte[]> peer = Background.start(() -> {
            byte[] got = server.input().readNBytes(32);
            server.write(got, 0, got.length);
            return got;
        });
        Ping.ping(client, new Random(7));
        assertArrayEquals(expected, peer.join());
    }

    @Test
    void differentBytesEchoedAreAProtocolViolation() throws Exception {
        Background<Void> liar = Background.start(() -> {
            server.input().readNBytes(32);
            server.write(new byte[32], 0, 32);
            return null;
        });
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> Ping.ping(client));
        assertEquals("ping: the peer echoed different bytes (32 bytes)", e.getMessage());
        liar.join();
    }

    @Test
    void anEchoCutShortIsAnEofException() throws Exception {
        Background<Void> quitter = Background.start(() -> {
            byte[] got = server.input().readNBytes(32);
            server.write(got, 0, 10);
            server.close();
            return null;
        });
        EOFException e = assertThrows(EOFException.class, () -> Ping.ping(client));
        assertEquals("ping: stream ended after 10 of 32 echoed bytes", e.getMessage());
        quitter.join();
    }

    @Test
    void theServerClosesAStreamThatStaysSilentPastTheIdleTimeout() throws Exception {
        Background<Void> serving = Background.start(() -> {
            Ping.serve(server, Duration.ofMillis(20));
            return null;
        });
        assertEquals(-1, client.input().read(), "the server's FIN");
        serving.join();
    }

    @Test
    void theIdleTimeoutIsGoLibp2psTenSeconds() {
        assertEquals(Duration.ofSeconds(10), Ping.IDLE_TIMEOUT);
    }

    @Test
    void aClientThatHalfClosesInsideAPayloadMakesTheServerThrowEof() throws Exception {
        Background<Void> serving = Background.start(() -> {
            Ping.serve(server);
            return null;
        });
        client.write(new byte[10], 0, 10);
        client.closeWrite();
        EOFException e = assertThrows(EOFException.class, serving::join);
        assertTrue(e.getMessage().contains("(10 of 32 bytes)"), e.getMessage());
    }

    @Test
    void aResetStreamFailsThePingWithStreamReset() throws Exception {
        server.reset();
        StreamResetException e = assertThrows(StreamResetException.class, () -> Ping.ping(client));
        assertTrue(e.remote());
    }
}
