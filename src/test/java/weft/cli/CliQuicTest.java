package weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code weft echo|ping|perf} against a {@code /udp/N/quic-v1} multiaddr. */
class CliQuicTest extends CliDialTest {
    CliQuicTest() throws IOException {
        super("/ip4/127.0.0.1/udp/0/quic-v1");
    }

    @Test
    void echoDialsAQuicAddress() {
        assertTrue(address().contains("/udp/") && address().contains("/quic-v1/p2p/"), address());
        assertEquals(0, run("echo", "--dial", address(), "hello quic"), err.toString());
        assertEquals("hello quic", out.toString().strip());
    }

    @Test
    void pingDialsAQuicAddress() {
        assertEquals(0, run("ping", address(), "-n", "2"), err.toString());
        assertEquals(2, out.toString().lines().count(), out.toString());
    }

    @Test
    void perfDialsAQuicAddress() {
        assertEquals(0, run("perf", "--dial", address(), "--upload-bytes", "1048576", "--download-bytes",
                "2097152"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("upload: 1048576 bytes in "), text);
        assertTrue(text.contains("download: 2097152 bytes in "), text);
    }
}
