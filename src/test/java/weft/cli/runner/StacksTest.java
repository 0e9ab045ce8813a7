package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import weft.host.HostConfig;
import weft.multiformats.Multiaddr;

class StacksTest {
    /** Every supported stack, for parameterized tests elsewhere. */
    static Stream<Stacks.Stack> supported() {
        return Stacks.supported().stream();
    }

    @Test
    void everySupportedStackMapsToAHostWithOnlyThatSecurityAndMuxer() throws Exception {
        List<Stacks.Stack> supported = Stacks.supported();
        assertFalse(supported.isEmpty());
        assertTrue(supported.contains(new Stacks.Stack("tcp", "noise", "yamux")), supported.toString());
        assertTrue(supported.contains(new Stacks.Stack("ws", "noise", "yamux")), supported.toString());
        for (Stacks.Stack stack : supported) {
            assertEquals(stack, Stacks.check(stack.transport(), stack.security(), stack.muxer()));
            HostConfig config = Stacks.configure(HostConfig.defaults(), stack);
            if (stack.security() != null) {
                assertEquals(List.of(Stacks.SECURITY.get(stack.security())), config.security());
                assertEquals(List.of(Stacks.MUXERS.get(stack.muxer())), config.muxers());
            }
        }
    }

    @Test
    void unknownNamesAreUnsupportedWithWhatIsSupported() {
        Stacks.UnsupportedStackException e = assertThrows(Stacks.UnsupportedStackException.class,
                () -> Stacks.check("webtransport", null, null));
        assertTrue(e.getMessage().startsWith("interop: unsupported transport \"webtransport\" (weft speaks "),
                e.getMessage());
        assertThrows(Stacks.UnsupportedStackException.class, () -> Stacks.check("tcp", "secio", "yamux"));
        assertThrows(Stacks.UnsupportedStackException.class, () -> Stacks.check("tcp", "noise", "spdy"));
        assertThrows(Stacks.UnsupportedStackException.class, () -> Stacks.check(null, "noise", "yamux"));
    }

    @Test
    void listenAddressFollowsTheRunnersIp() {
        Stacks.Transport ws = Stacks.TRANSPORTS.get("ws");
        assertEquals(Multiaddr.parse("/ip4/0.0.0.0/tcp/0/ws"), ws.listenAddress("0.0.0.0"));
        assertEquals(Multiaddr.parse("/ip6/::1/tcp/0/ws"), ws.listenAddress("::1"));
    }

    @Test
    void imagesYamlLinesNameTheTables() {
        List<String> lines = Stacks.imagesYaml();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).matches("transports: \\[.*\\btcp\\b.*\\]"), lines.get(0));
        assertTrue(lines.get(1).matches("secureChannels: \\[.*\\bnoise\\b.*\\]"), lines.get(1));
        assertTrue(lines.get(2).matches("muxers: \\[.*\\byamux\\b.*\\]"), lines.get(2));
    }

    @Test
    void advertisedAddressIsTheFirstNonLoopbackOne() throws Exception {
        Multiaddr lan = Multiaddr.parse("/ip4/172.17.0.3/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        Multiaddr loop = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        Multiaddr loop6 = Multiaddr.parse("/ip6/::1/tcp/4001");
        assertEquals(lan, TestApp.advertised(List.of(loop, loop6, lan)));
        assertEquals(loop, TestApp.advertised(List.of(loop, loop6)));
        assertTrue(TestApp.loopback(loop6));
        assertFalse(TestApp.loopback(Multiaddr.parse("/dns4/localhost/tcp/1")));
    }
}
