package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
    @ParameterizedTest
    @CsvSource({
        "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
        "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
        "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321, 047f000001910204d2047f0000010610e1",
        "/ip6zone/eth0/ip6/::1, 2a04657468302900000000000000000000000000000001",
    })
    void textAndBytesMatchGoMultiaddrVectors(String text, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertArrayEquals(bytes, Multiaddr.parse(text).toBytes());
        assertEquals(text, Multiaddr.fromBytes(bytes).toString());
    }

    @ParameterizedTest
    @CsvSource({"/ip4", "/ip4/::1", "/tcp/65536", "/unix", "''", "/"})
    void invalidTextIsRejected(String text) {
        assertThrows(MultiformatException.class, () -> Multiaddr.parse(text));
    }

    /** go-multiaddr {@code multiaddr_test.go} {@code good}: each parses, and its bytes decode to the same address. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/ip4/1.2.3.4",
        "/ip4/0.0.0.0",
        "/ip4/192.0.2.0/ipcidr/24",
        "/ip6/::1",
        "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21",
        "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic",
        "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21/udp/1234/quic-v1",
        "/ip6/2001:db8::/ipcidr/32",
        "/ip6zone/x/ip6/fe80::1",
        "/ip6zone/x%y/ip6/fe80::1",
        "/ip6zone/x%y/ip6/::",
        "/ip6zone/x/ip6/fe80::1/udp/1234/quic",
        "/ip6zone/x/ip6/fe80::1/udp/1234/quic-v1",
        "/udp/0",
        "/tcp/0",
        "/sctp/0",
        "/udp/1234",
        "/tcp/1234",
        "/sctp/1234",
        "/udp/65535",
        "/tcp/65535",
        "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
        "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
        "/p2p/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm",
        "/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
        "/p2p/bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u",
        "/udp/1234/sctp/1234",
        "/udp/1234/udt",
        "/udp/1234/utp",
        "/tcp/1234/http",
        "/tcp/1234/tls/http",
        "/tcp/1234/https",
        "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
        "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
        "/ip4/127.0.0.1/udp/1234",
        "/ip4/127.0.0.1/udp/0",
        "/ip4/127.0.0.1/tcp/1234",
        "/ip4/127.0.0.1/tcp/1234/",
        "/ip4/127.0.0.1/udp/1234/quic",
        "/ip4/127.0.0.1/udp/1234/quic-v1",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy/certhash/zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41",
        "/ip4/127.0.0.1/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
        "/ip4/127.0.0.1/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
        "/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
        "/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234",
        "/unix/a/b/c/d/e",
        "/unix/stdio",
        "/ip4/1.2.3.4/tcp/80/unix/a/b/c/d/e/f",
        "/ip4/127.0.0.1/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234/unix/stdio",
        "/ip4/127.0.0.1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/tcp/1234/unix/stdio",
        "/ip4/127.0.0.1/tcp/9090/http/p2p-webrtc-direct",
        "/ip4/127.0.0.1/tcp/127/ws",
        "/ip4/127.0.0.1/tcp/127/tls",
        "/ip4/127.0.0.1/tcp/127/tls/ws",
        "/ip4/127.0.0.1/tcp/127/noise",
        "/ip4/127.0.0.1/tcp/127/wss",
        "/ip4/127.0.0.1/tcp/127/webrtc-direct",
        "/ip4/127.0.0.1/tcp/127/webrtc",
        "/http-path/tmp%2Fbar",
        "/http-path/tmp%2Fbar%2Fbaz",
        "/http-path/foo",
        "/ip4/127.0.0.1/tcp/0/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV/http-path/foo",
        "/ip4/127.0.0.1/tcp/443/tls/sni/example.com/http/http-path/foo",
    })
    void goMultiaddrGoodAddressesParseAndRoundTripThroughBytes(String text) {
        Multiaddr parsed = Multiaddr.parse(text);
        Multiaddr decoded = Multiaddr.fromBytes(parsed.toBytes());
        assertEquals(parsed, decoded);
        assertEquals(parsed.toString(), decoded.toString());
        assertEquals(parsed, Multiaddr.parse(parsed.toString()));
    }
}
