package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
    private static final String ED25519_PEER = "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV";
    private static final String ED25519_PEER_MULTIHASH =
            "0024080112202d3de6d16ae87f7a933fe1552162a2d3f04951e90e8051e4ee2c18f002dd0fb4";
    private static final String SHA256_PEER = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
    private static final String CERTHASH = "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g";
    private static final String CERTHASH_HEX = "20c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2";

    /**
     * Text and bytes. The first is the multiaddr spec's {@code test/multiaddr.feature}, the next four
     * go-multiaddr's {@code TestStringToBytes} / {@code TestZone} vectors; the rest were computed from the
     * multicodec table with an independent encoder (Python, for this test).
     */
    @ParameterizedTest
    @CsvSource({
        "/ip4/192.0.2.42/tcp/443, 04c000022a0601bb",
        "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
        "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
        "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321, 047f000001910204d2047f0000010610e1",
        "/ip6zone/eth0/ip6/::1, 2a04657468302900000000000000000000000000000001",
        "/ip6/2001:db8::1/tcp/4001, 2920010db8000000000000000000000001060fa1",
        "/ip6/::ffff:127.0.0.1/tcp/111, 2900000000000000000000ffff7f00000106006f",
        "/dns4/example.com/tcp/443/wss, 360b6578616d706c652e636f6d0601bbde03",
        "/dns6/a.com/udp/53/quic, 3705612e636f6d91020035cc03",
        "/dns/a.com/tcp/80/ws, 3505612e636f6d060050dd03",
        "/dnsaddr/bootstrap.libp2p.io, 3813626f6f7473747261702e6c69627032702e696f",
        "/ip4/1.2.3.4/udp/4001/quic-v1/p2p/" + ED25519_PEER
                + ", 040102030491020fa1cd03a50326" + ED25519_PEER_MULTIHASH,
        "/p2p/" + SHA256_PEER + "/p2p-circuit/p2p/" + ED25519_PEER
                + ", a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0ba202a50326"
                + ED25519_PEER_MULTIHASH,
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/" + CERTHASH
                + ", 047f000001910204d2cd03d103d2032212" + CERTHASH_HEX,
        "/ip4/127.0.0.1/udp/9090/webrtc-direct/certhash/" + CERTHASH
                + ", 047f000001910223829802d2032212" + CERTHASH_HEX,
        "/ip4/1.2.3.4/tcp/443/tls/sni/example.com/ws, 04010203040601bbc003c1030b6578616d706c652e636f6ddd03",
        "/ip4/127.0.0.1/tcp/127/noise, 047f00000106007fc603",
        "/p2p-circuit/webrtc, a2029902",
        "/unix/tmp/p2p.sock, 90030d2f746d702f7032702e736f636b",
    })
    void textAndBytesMatchVectors(String text, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertArrayEquals(bytes, Multiaddr.parse(text).toBytes());
        assertEquals(text, Multiaddr.fromBytes(bytes).toString());
    }

    /** go-multiaddr {@code TestConstructFails} (the protocols weft knows), plus zone, certhash and peer-id cases. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/ip4", "/ip4/::1", "/ip4/fdpsofodsajfdoisa", "/ip6/::/ipcidr/1026", "/ip6", "/ip6zone", "/ip6zone/",
        "/ip6zone//ip6/fe80::1", "/udp", "/tcp", "/sctp", "/udp/65536", "/tcp/65536", "/quic/65536",
        "/quic-v1/65536", "/udp/1234/sctp", "/udp/1234/udt/1234", "/udp/1234/utp/1234",
        "/ip4/127.0.0.1/udp/jfodsajfidosajfoidsa", "/ip4/127.0.0.1/udp", "/ip4/127.0.0.1/tcp/jfodsajfidosajfoidsa",
        "/ip4/127.0.0.1/tcp", "/ip4/127.0.0.1/quic/1234", "/ip4/127.0.0.1/quic-v1/1234",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash",
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp",
        "/ip4/127.0.0.1/ipfs", "/ip4/127.0.0.1/ipfs/tcp", "/ip4/127.0.0.1/p2p", "/ip4/127.0.0.1/p2p/tcp", "/unix",
        "/ip4/1.2.3.4/tcp/80/unix", "/ip4/1.2.3.4/tcp/-1", "/ip4/127.0.0.1/tcp/9090/http/p2p-webcrt-direct", "/",
        "", "/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY",
        "/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-", "/p2p/?unknownmultibase",
        "/p2p/k2jmtxwoe2phm1hbqp0e7nufqf6umvuu2e9qd7ana7h411a0haqj6i2z",
        "ip4/1.2.3.4", "/ip4/01.2.3.4", "/ip4/1.2.3.4.5", "/ip4/256.1.1.1", "/ip4/1.2.3", "/ip4/1..2.3",
        "/ip6/1:2:3:4:5:6:7:8:9", "/ip6/1::2::3", "/ip6/:::", "/ip6/fe80::1%eth0", "/ip6/12345::", "/ip6/g::",
        "/ip6/1:2:3:4:5:6:7::8", "/ip6/::1.2.3.4.5", "/ip6/1.2.3.4::", "/ip6/:1::", "/ip6/1::2:",
        "/tcp/+80", "/tcp/ 80", "/tcp/８０", "/dns/", "/dns4", "/certhash/zzz", "/certhash/u", "/p2p/1",
        "/p2p/bafkqaaa", "/foo/bar", "/ip4/1.2.3.4//tcp/80", "/http-path/%zz", "/http-path/%f"
    })
    void invalidTextIsRejectedWithTheTypedException(String text) {
        assertThrows(MultiformatException.class, () -> Multiaddr.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "04", "047f0000", "0610", "a50322",
        "a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6",
        "ff", "ffffffffffffffffff01", "8000", "3500", "35052f2e636f6d", "3502c328", "9003022f61047f000001",
        "90030161", "9003032f612f", "d20300", "d203021205", "2a00", "2a012f29000000000000000000000000000000000000",
        "047f000001ff7f", "3580808080808080808001"
    })
    void invalidBytesAreRejectedWithTheTypedException(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThrows(MultiformatException.class, () -> Multiaddr.fromBytes(bytes));
    }

    /** multiaddr spec {@code protocols/http-path.md} examples: the text is one percent-encoded path segment. */
    @ParameterizedTest
    @CsvSource({
        "/http-path/user, user",
        "/http-path/api%2Fv0%2Flogin, api/v0/login",
        "/http-path/tmp%2Ffoo%2F..%2Fbar, tmp/foo/../bar",
        "/http-path/a%2520space, a%20space",
        "/http-path/a%252Fslash, a%2Fslash",
    })
    void httpPathValuesArePercentDecoded(String text, String path) {
        Multiaddr addr = Multiaddr.parse(text);
        assertArrayEquals(path.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                addr.components().get(0).valueBytes());
        assertEquals(text, addr.toString());
    }

    @Test
    void errorMessagesNameTheComponentAndTheBadValue() {
        MultiformatException e = assertThrows(MultiformatException.class, () -> Multiaddr.parse("/p2p/Qm0"));
        assertEquals("multiaddr: invalid p2p value 'Qm0': base58: invalid character '0' at 2", e.getMessage());
        e = assertThrows(MultiformatException.class, () -> Multiaddr.parse("/tcp/65536"));
        assertEquals("multiaddr: tcp value '65536' is out of range (> 65535)", e.getMessage());
        e = assertThrows(MultiformatException.class, () -> Multiaddr.fromBytes(HexFormat.of().parseHex("047f00")));
        assertEquals("multiaddr: truncated ip4 value (needs 4 bytes, 2 left)", e.getMessage());
        e = assertThrows(MultiformatException.class, () -> Multiaddr.fromBytes(HexFormat.of().parseHex("ff01")));
        assertEquals("multiaddr: unknown protocol code 0xff", e.getMessage());
    }

    /** go-multiaddr's fuzz corpus ({@code testdata/fuzz}): each decodes or fails with the typed exception. */
    @ParameterizedTest
    @ValueSource(strings = {
        "a503261224303030303030303030303030303030303030303030303030303030303030303030303030",
        "900306303030303030",
        "9003032f3030213030",
        "900306303030303030900306303030303030",
        "372a303030303030303030303030303030303030303030303030303030303030303030303030303030303030",
        "d20300",
        "3700",
        "84e0ff00",
        "9003062f303030302f",
        "a50303300130"
    })
    void goFuzzCorpusBytesDecodeOrFailCleanly(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        try {
            Multiaddr addr = Multiaddr.fromBytes(bytes);
            assertArrayEquals(bytes, addr.toBytes());
            assertEquals(addr, Multiaddr.parse(addr.toString()));
        } catch (MultiformatException expected) {
            // fine: only a crash or another exception type would fail
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/p2p/BAfZA2jA222222222222222222222222222222222222222222222222222222222",
        "/p2p/BAfZBAjA222222222222222222222222222222222222222222222222222222222",
        "/p2p/Qm11ps1111111111111111111111111111111", "/sni//sni/0", "/onion/222222222222222=:1"
    })
    void goFuzzCorpusTextFailsCleanly(String text) {
        assertThrows(MultiformatException.class, () -> Multiaddr.parse(text));
    }

    @Test
    void ipfsIsReadAsP2pAndPrintedAsP2p() {
        assertEquals("/p2p/" + SHA256_PEER, Multiaddr.parse("/ipfs/" + SHA256_PEER).toString());
    }

    @ParameterizedTest
    @CsvSource({
        "bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm, " + SHA256_PEER,
        "k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7, " + SHA256_PEER,
        "bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u, " + ED25519_PEER,
        "k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs, " + ED25519_PEER,
    })
    void cidPeerIdsAreReadAndPrintedAsBase58(String cid, String base58) {
        Multiaddr addr = Multiaddr.parse("/p2p/" + cid);
        assertEquals("/p2p/" + base58, addr.toString());
        assertEquals(Optional.of(base58), addr.peerId());
    }

    @Test
    void canonicalTextNormalizesIp6AndDropsTrailingSlash() {
        assertEquals("/ip6/2001:db8::1/tcp/1", Multiaddr.parse("/ip6/2001:0DB8:0:0:0:0:0:1/tcp/1/").toString());
        assertEquals("/ip6/::", Multiaddr.parse("/ip6/0:0:0:0:0:0:0:0").toString());
        assertEquals("/ip6/1:0:2::", Multiaddr.parse("/ip6/1:0:2:0:0:0:0:0").toString());
        assertEquals("/ip6/1:0:0:2::3", Multiaddr.parse("/ip6/1:0:0:2:0:0:0:3").toString());
        assertEquals("/ip6/1::2:0:0:3:4", Multiaddr.parse("/ip6/1:0:0:2:0:0:3:4").toString());
        assertEquals("/ip6/::102:304", Multiaddr.parse("/ip6/::1.2.3.4").toString());
        assertEquals("/tcp/80", Multiaddr.parse("/tcp/0080").toString());
    }

    @Test
    void componentsExposeNameCodeTextAndBytes() {
        Multiaddr addr = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/ws");
        List<Multiaddr.Component> cs = addr.components();
        assertEquals(3, cs.size());
        assertEquals("tcp", cs.get(1).protocol());
        assertEquals(0x06, cs.get(1).code());
        assertEquals("4001", cs.get(1).value());
        assertArrayEquals(new byte[] {0x0f, (byte) 0xa1}, cs.get(1).valueBytes());
        assertEquals("ws", cs.get(2).protocol());
        assertEquals("", cs.get(2).value());
        assertEquals("/tcp/4001", cs.get(1).toString());
    }

    @Test
    void equalAddressesHaveEqualHashCodes() {
        Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/1234");
        Multiaddr b = Multiaddr.parse("/ip4/127.0.0.1/tcp/1234/");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Multiaddr.parse("/ip4/127.0.0.1/udp/1234"));
    }

    @Test
    void encapsulateAppendsAndDecapsulateRemovesTheLastOccurrence() {
        Multiaddr base = Multiaddr.parse("/ip4/127.0.0.1/udp/1234");
        Multiaddr both = base.encapsulate("/udp/5678");
        assertEquals("/ip4/127.0.0.1/udp/1234/udp/5678", both.toString());
        assertEquals(base, both.decapsulate("/udp/5678"));
        assertEquals("/ip4/127.0.0.1", both.decapsulate("udp").decapsulate("udp").toString());
        assertEquals(base, base.decapsulate("/ws"));
        assertEquals(base, base.decapsulate("tcp"));
        assertTrue(base.decapsulate(base).isEmpty());
        assertEquals("", base.decapsulate("ip4").toString());
    }

    /** go-multiaddr {@code TestDecapsulate} cases. */
    @ParameterizedTest
    @CsvSource({
        "/ip4/1.2.3.4/tcp/1234, /ip4/1.2.3.4, ''",
        "/ip4/1.2.3.4, /ip4/1.2.3.4/tcp/1234, /ip4/1.2.3.4",
        "/ip4/1.2.3.5/tcp/1234, /ip4/5.3.2.1, /ip4/1.2.3.5/tcp/1234",
        "/ip4/1.2.3.5/udp/1234/quic-v1, /udp/1234, /ip4/1.2.3.5",
        "/ip4/1.2.3.6/udp/1234/quic-v1, /udp/1234/quic-v1, /ip4/1.2.3.6",
        "/ip4/1.2.3.7/tcp/1234, /ws, /ip4/1.2.3.7/tcp/1234",
        "/dnsaddr/wss.com/tcp/4001, /ws, /dnsaddr/wss.com/tcp/4001",
        "/dnsaddr/wss.com/tcp/4001/ws, /wss, /dnsaddr/wss.com/tcp/4001/ws",
        "/dnsaddr/wss.com/ws, /dnsaddr/wss.com, ''",
        "/dnsaddr/wss.com/tcp/4001/wss, /wss, /dnsaddr/wss.com/tcp/4001",
    })
    void decapsulateMatchesGoMultiaddr(String left, String right, String expected) {
        assertEquals(expected, Multiaddr.parse(left).decapsulate(Multiaddr.parse(right)).toString());
    }

    @Test
    void encapsulatingAfterAUnixPathIsRejected() {
        Multiaddr unix = Multiaddr.parse("/unix/tmp/sock");
        assertThrows(MultiformatException.class, () -> unix.encapsulate("/tcp/1"));
    }

    @Test
    void peerIdIsTheTrailingP2pComponent() {
        Multiaddr addr = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/p2p/" + ED25519_PEER);
        assertArrayEquals(HexFormat.of().parseHex(ED25519_PEER_MULTIHASH), addr.peerIdBytes().orElseThrow());
        assertEquals(Optional.of(ED25519_PEER), addr.peerId());
        assertEquals("/ip4/1.2.3.4/tcp/4001", addr.withoutPeerId().toString());
        Multiaddr noPeer = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001");
        assertTrue(noPeer.peerIdBytes().isEmpty());
        assertSame(noPeer, noPeer.withoutPeerId());
    }

    @Test
    void aRelayAddressWithoutDestinationHasNoPeerId() {
        Multiaddr relay = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/p2p/" + SHA256_PEER + "/p2p-circuit");
        assertTrue(relay.peerId().isEmpty());
        Multiaddr viaRelay = relay.encapsulate("/p2p/" + ED25519_PEER);
        assertEquals(Optional.of(ED25519_PEER), viaRelay.peerId());
        assertEquals(relay, viaRelay.withoutPeerId());
    }

    @Test
    void valueOfReturnsTheFirstValueOfAProtocol() {
        Multiaddr addr = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/ip4/5.6.7.8/tcp/2/ws");
        assertEquals(Optional.of("1.2.3.4"), addr.valueOf("ip4"));
        assertEquals(Optional.of("1"), addr.valueOf("tcp"));
        assertEquals(Optional.of(""), addr.valueOf("ws"));
        assertEquals(Optional.empty(), addr.valueOf("udp"));
        assertEquals("/a/b", Multiaddr.parse("/ip4/0.0.0.0/unix/a/b").valueOf("unix").orElseThrow());
    }

    @Test
    void toSocketAddressUsesIpLiteralsAndLeavesDnsUnresolved() throws Exception {
        InetSocketAddress v4 = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001/p2p/" + ED25519_PEER).toSocketAddress();
        assertEquals(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 7}), 4001), v4);
        InetSocketAddress v6 = Multiaddr.parse("/ip6/::1/udp/9/quic-v1").toSocketAddress();
        assertEquals(9, v6.getPort());
        assertTrue(v6.getAddress().isLoopbackAddress());
        InetSocketAddress dns = Multiaddr.parse("/dns4/example.invalid/tcp/443/wss").toSocketAddress();
        assertTrue(dns.isUnresolved());
        assertEquals("example.invalid", dns.getHostString());
        assertEquals(443, dns.getPort());
        InetSocketAddress scoped = Multiaddr.parse("/ip6zone/3/ip6/fe80::1/tcp/1").toSocketAddress();
        assertEquals(3, ((java.net.Inet6Address) scoped.getAddress()).getScopeId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/ip4/1.2.3.4", "/tcp/1/ip4/1.2.3.4", "/ip4/1.2.3.4/ws", "/p2p-circuit", "/unix/a",
        "/ip6zone/no-such-interface-here/ip6/fe80::1/tcp/1", "/ip6zone/x/dns/a.com/tcp/1", "/ip6zone/1/ip4/1.2.3.4/tcp/1"
    })
    void toSocketAddressRejectsAddressesWithoutHostAndPort(String text) {
        Multiaddr addr = Multiaddr.parse(text);
        assertThrows(MultiformatException.class, addr::toSocketAddress);
    }

    @Test
    void fromSocketAddressBuildsIpOrDnsAddresses() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 4001);
        assertEquals("/ip4/10.0.0.1/tcp/4001", Multiaddr.fromSocketAddress(v4, "tcp").toString());
        byte[] loopback6 = new byte[16];
        loopback6[15] = 1;
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByAddress(loopback6), 53);
        assertEquals("/ip6/::1/udp/53", Multiaddr.fromSocketAddress(v6, "udp").toString());
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.com", 80);
        assertEquals("/dns/example.com/tcp/80", Multiaddr.fromSocketAddress(unresolved, "tcp").toString());
        assertEquals(v4, Multiaddr.fromSocketAddress(v4, "tcp").toSocketAddress());
        assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromSocketAddress(v4, "sctp"));
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
        "/ipfs/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7",
        "/p2p/k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs",
        "/ip4/127.0.0.1/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7/tcp/1234/unix/stdio",
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
        "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmpy"
                + "/certhash/zQmbWTwYGcmdyK9CYfNBcfs9nhZs17a6FQ4Y8oea278xx41",
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

    @Test
    void httpPathKeepsCharactersOutsideTheBasicPlane() {
        Multiaddr parsed = Multiaddr.parse("/http-path/caf\u00e9\ud83d\ude00");
        assertEquals("/http-path/caf%C3%A9%F0%9F%98%80", parsed.toString());
        assertEquals("e10309636166c3a9f09f9880", HexFormat.of().formatHex(parsed.toBytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dns/a\ud83d", "/unix/tmp/\ude00", "/http-path/a\ud83db"})
    void loneSurrogateInATextValueIsRejectedNotTurnedIntoQuestionMarks(String text) {
        assertThrows(MultiformatException.class, () -> Multiaddr.parse(text));
    }
}
