package weft.protocol.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import weft.ProtocolViolationException;
import weft.multiformats.Multiaddr;
import weft.testing.StreamPair;

class IdentifyProperties {
    @Property
    void decodingAnEncodedMessageGivesItBack(@ForAll("messages") IdentifyMessage message) throws Exception {
        assertEquals(message, IdentifyMessage.decode(message.encode()));
    }

    @Property
    void arbitraryBytesDecodeOrThrowOnlyAProtocolViolation(@ForAll byte[] bytes) {
        try {
            IdentifyMessage.decode(bytes);
        } catch (ProtocolViolationException expected) {
            // the only failure allowed
        }
    }

    @Property(tries = 300)
    void arbitraryBytesOnTheStreamReadOrThrowOnlyIoExceptions(@ForAll byte[] bytes) throws Exception {
        StreamPair pair = StreamPair.create();
        pair.right().write(bytes, 0, bytes.length);
        pair.right().closeWrite();
        try {
            Identify.read(pair.left());
        } catch (IOException expected) {
            // ProtocolViolationException or EOFException: typed, and the only failures allowed
        }
    }

    @Provide
    Arbitrary<IdentifyMessage> messages() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '\u07ff').ofMaxLength(40).injectNull(0.2);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(80).injectNull(0.2);
        Arbitrary<Multiaddr> addr = Combinators.combine(
                        Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(0, 65535), Arbitraries.of("tcp", "udp"))
                .as((a, b, port, proto) -> Multiaddr.parse("/ip4/10." + a + ".0." + b + "/" + proto + "/" + port));
        Arbitrary<List<Multiaddr>> addrs = addr.list().ofMaxSize(5);
        Arbitrary<List<String>> protocols = Arbitraries.strings().alpha().numeric().withChars('/', '.')
                .ofMaxLength(30).list().ofMaxSize(6);
        return Combinators.combine(text, text, bytes, addrs, addr.injectNull(0.3), protocols, bytes)
                .as(IdentifyMessage::new);
    }
}
