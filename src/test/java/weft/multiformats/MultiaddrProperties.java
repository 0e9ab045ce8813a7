package weft.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MultiaddrProperties {
    @Property(tries = 300)
    void anyValidAddressRoundTripsThroughTextAndBytes(@ForAll("multiaddrBytes") byte[] bytes) {
        Multiaddr addr = Multiaddr.fromBytes(bytes);
        assertArrayEquals(bytes, addr.toBytes());
        Multiaddr reparsed = Multiaddr.parse(addr.toString());
        assertEquals(addr, reparsed);
        assertEquals(addr.toString(), reparsed.toString());
        assertEquals(addr.components(), reparsed.components());
    }

    @Property(tries = 300)
    void decapsulatingWhatWasEncapsulatedGivesTheOuterAddressBack(
            @ForAll("multiaddrBytes") byte[] outer, @ForAll("multiaddrBytes") byte[] inner) {
        Multiaddr a = Multiaddr.fromBytes(outer);
        Multiaddr b = Multiaddr.fromBytes(inner);
        if (a.components().get(a.components().size() - 1).protocol().equals("unix")) {
            return; // nothing may follow a unix path
        }
        Multiaddr joined = a.encapsulate(b);
        assertEquals(a.toString() + b.toString(), joined.toString());
        assertEquals(a, joined.decapsulate(b));
    }

    /** Whatever fromBytes accepts has a text form that parses back to it, and canonical bytes. */
    @Property(tries = 1000)
    void arbitraryBytesDecodeOrThrowTheTypedException(@ForAll("bytesLikeMultiaddrs") byte[] bytes) {
        try {
            Multiaddr addr = Multiaddr.fromBytes(bytes);
            assertArrayEquals(bytes, addr.toBytes());
            assertEquals(addr, Multiaddr.parse(addr.toString()));
        } catch (MultiformatException expected) {
            // the only exception allowed
        }
    }

    @Property(tries = 1000)
    void arbitraryTextParsesOrThrowsTheTypedException(@ForAll("textLikeMultiaddrs") String text) {
        try {
            Multiaddr addr = Multiaddr.parse(text);
            assertEquals(addr, Multiaddr.parse(addr.toString()));
            assertEquals(addr, Multiaddr.fromBytes(addr.toBytes()));
        } catch (MultiformatException expected) {
            // the only exception allowed
        }
    }

    /** One to five valid components from the whole protocol table; a unix path only last. */
    @Provide
    Arbitrary<byte[]> multiaddrBytes() {
        Arbitrary<byte[]> middle = Arbitraries.of(MultiaddrProtocol.values())
                .filter(p -> !p.isPath())
                .flatMap(MultiaddrProperties::component);
        Arbitrary<byte[]> last = Arbitraries.of(MultiaddrProtocol.values()).flatMap(MultiaddrProperties::component);
        return Combinators.combine(middle.list().ofMaxSize(4), last).as((list, end) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.forEach(out::writeBytes);
            out.writeBytes(end);
            return out.toByteArray();
        });
    }

    private static Arbitrary<byte[]> component(MultiaddrProtocol p) {
        return value(p).map(v -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.writeTo(out, v);
            return out.toByteArray();
        });
    }

    private static Arbitrary<byte[]> value(MultiaddrProtocol p) {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('!', '~').withChars('é', 'ß', ' ')
                .excludeChars('/').ofMinLength(1).ofMaxLength(12);
        return switch (p.value) {
            case NONE -> Arbitraries.just(new byte[0]);
            case IP4, IP6, PORT, CIDR -> Arbitraries.bytes().array(byte[].class).ofSize(p.value.size);
            case DOMAIN, ZONE -> word.map(s -> s.getBytes(StandardCharsets.UTF_8));
            case PATH -> word.list().ofMinSize(1).ofMaxSize(3)
                    .map(parts -> ("/" + String.join("/", parts)).getBytes(StandardCharsets.UTF_8));
            case PEER_ID -> Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(42)
                    .flatMap(key -> Arbitraries.of(Multihash.identity(key), Multihash.sha256(key)))
                    .map(Multihash::encode);
            case MULTIHASH -> Combinators.combine(
                            Arbitraries.integers().between(0, 0x3fff),
                            Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                    .as((code, digest) -> {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        out.writeBytes(UnsignedVarint.encode(code));
                        out.writeBytes(UnsignedVarint.encode(digest.length));
                        out.writeBytes(digest);
                        return out.toByteArray();
                    });
            case PERCENT_ENCODED -> Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20);
        };
    }

    /** Valid addresses, truncated, mutated or followed by garbage; and plain random bytes. */
    @Provide
    Arbitrary<byte[]> bytesLikeMultiaddrs() {
        Arbitrary<byte[]> valid = multiaddrBytes();
        Arbitrary<byte[]> truncated = valid.flatMap(b -> Arbitraries.integers().between(0, b.length)
                .map(n -> java.util.Arrays.copyOf(b, n)));
        Arbitrary<byte[]> mutated = valid.flatMap(b -> Combinators.combine(
                        Arbitraries.integers().between(0, b.length - 1), Arbitraries.bytes())
                .as((i, x) -> {
                    byte[] copy = b.clone();
                    copy[i] = x;
                    return copy;
                }));
        Arbitrary<byte[]> trailing = Combinators.combine(valid, Arbitraries.bytes().array(byte[].class).ofMaxSize(6))
                .as((b, extra) -> {
                    byte[] all = java.util.Arrays.copyOf(b, b.length + extra.length);
                    System.arraycopy(extra, 0, all, b.length, extra.length);
                    return all;
                });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.oneOf(truncated, mutated, trailing, random);
    }

    @Provide
    Arbitrary<String> textLikeMultiaddrs() {
        Arbitrary<String> names = Arbitraries.of(List.of(MultiaddrProtocol.values())).map(p -> p.text);
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("1.2.3.4", "::1", "fe80::1", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8", "65535", "65536",
                        "0", "-1", "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
                        "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
                        "bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm",
                        "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g", "%2F", "%", "", "ipfs", "example.com"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
                Arbitraries.strings().ofMaxLength(6));
        Arbitrary<String> segment = Arbitraries.oneOf(names, values);
        return segment.list().ofMaxSize(8).map(parts -> "/" + String.join("/", parts));
    }

    @Property(tries = 200)
    void componentsReassembleTheAddress(@ForAll("multiaddrBytes") byte[] bytes) {
        Multiaddr addr = Multiaddr.fromBytes(bytes);
        StringBuilder text = new StringBuilder();
        addr.components().forEach(c -> text.append(c));
        assertEquals(addr.toString(), text.toString());
    }
}
