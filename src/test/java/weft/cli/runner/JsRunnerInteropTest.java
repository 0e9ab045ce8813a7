package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * weft's test app and a js-libp2p one ({@code src/test/interop/js/runner.mjs}, the flow of the runners' own js
 * images) meet through Redis, one direction per convention: what joining the matrix needs beyond weft talking to
 * itself.
 */
@Tag("interop")
class JsRunnerInteropTest {
    /** js prints {@code JSON.stringify} output: no spaces, integer milliseconds (Date.now() differences). */
    private static final Pattern JS_LEGACY_RESULT = Pattern.compile(
            "\\{\"handshakePlusOneRTTMillis\":([0-9.]+),\"pingRTTMilllis\":([0-9.]+)}");

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Test
    void jsDialerTakesWeftListenersAddressFromTheLegacyListAndPingsItOverWebSocket() throws Exception {
        Stacks.Stack stack = new Stacks.Stack("ws", "noise", "yamux");
        Map<String, String> listenerEnv = RunnerApp.env(Convention.LEGACY, stack, false, null, redis.address());
        try (RunnerApp.Listener weft = RunnerApp.listen("js-legacy-weft", listenerEnv, "interop")) {
            RunnerApp.Run js = RunnerApp.runJs("js-legacy-js-dialer",
                    RunnerApp.env(Convention.LEGACY, stack, true, null, redis.address()));
            assertEquals(0, js.exitCode(), js.toString());
            Matcher m = JS_LEGACY_RESULT.matcher(js.stdout().strip());
            assertTrue(m.matches(), js.toString());
            assertTrue(Double.parseDouble(m.group(2)) <= Double.parseDouble(m.group(1)), js.stdout());
            assertTrue(js.stderr().contains("dialing " + weft.published()), js.toString());
        }
    }

    @Test
    void weftDialerTakesJsListenersAddressFromTheUnifiedListAndPingsItOverTcp() throws Exception {
        Stacks.Stack stack = new Stacks.Stack("tcp", "noise", "yamux");
        String key = RunnerApp.testKey();
        try (RunnerApp.Listener js = RunnerApp.listenJs("js-unified-js",
                RunnerApp.env(Convention.UNIFIED, stack, false, key, redis.address()))) {
            RunnerApp.Run weft = RunnerApp.run("js-unified-weft-dialer",
                    RunnerApp.env(Convention.UNIFIED, stack, true, key, redis.address()), "interop");
            assertEquals(0, weft.exitCode(), weft.toString());
            List<String> lines = weft.stdout().lines().toList();
            assertEquals(4, lines.size(), weft.toString());
            assertEquals("latency:", lines.get(0));
            assertTrue(lines.get(1).startsWith("  handshake_plus_one_rtt: "), weft.toString());
            assertTrue(lines.get(2).startsWith("  ping_rtt: "), weft.toString());
            assertEquals("  unit: ms", lines.get(3));
            assertTrue(weft.stderr().contains("dialing " + js.published()), weft.toString());
            assertTrue(js.isAlive(), "the js listener serves until it is stopped");
        }
    }
}
