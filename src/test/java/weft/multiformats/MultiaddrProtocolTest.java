package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultiaddrProtocolTest {
    /** Every protocol weft knows, with its code as the multicodec {@code table.csv} registers it. */
    @ParameterizedTest
    @CsvSource({
        "ip4, 0x04",
        "tcp, 0x06",
        "dccp, 0x21",
        "ip6, 0x29",
        "ip6zone, 0x2a",
        "ipcidr, 0x2b",
        "dns, 0x35",
        "dns4, 0x36",
        "dns6, 0x37",
        "dnsaddr, 0x38",
        "sctp, 0x84",
        "udp, 0x0111",
        "p2p-webrtc-star, 0x0113",
        "p2p-webrtc-direct, 0x0114",
        "p2p-stardust, 0x0115",
        "webrtc-direct, 0x0118",
        "webrtc, 0x0119",
        "p2p-circuit, 0x0122",
        "udt, 0x012d",
        "utp, 0x012e",
        "unix, 0x0190",
        "p2p, 0x01a5",
        "https, 0x01bb",
        "tls, 0x01c0",
        "sni, 0x01c1",
        "noise, 0x01c6",
        "quic, 0x01cc",
        "quic-v1, 0x01cd",
        "webtransport, 0x01d1",
        "certhash, 0x01d2",
        "ws, 0x01dd",
        "wss, 0x01de",
        "p2p-websocket-star, 0x01df",
        "http, 0x01e0",
        "http-path, 0x01e1",
        "plaintextv2, 0x706c61",
    })
    void namesAndCodesMatchTheMulticodecTable(String name, String hexCode) {
        int code = Integer.decode(hexCode);
        MultiaddrProtocol protocol = MultiaddrProtocol.forName(name);
        assertEquals(code, protocol.code);
        assertSame(protocol, MultiaddrProtocol.forCode(code));
    }
}
