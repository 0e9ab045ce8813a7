package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import weft.ProtocolViolationException;

class RespProperties {
    /** A server's reply, written as the spec says (the client never writes replies, so this lives here). */
    static void write(Resp.Reply reply, ByteArrayOutputStream out) {
        String head = switch (reply) {
            case Resp.SimpleString s -> "+" + s.text() + "\r\n";
            case Resp.ErrorReply e -> "-" + e.message() + "\r\n";
            case Resp.IntegerReply i -> ":" + i.value() + "\r\n";
            case Resp.BulkString b -> "$" + b.text().getBytes(StandardCharsets.UTF_8).length + "\r\n";
            case Resp.ArrayReply a -> "*" + a.items().size() + "\r\n";
            case Resp.NullReply n -> "$-1\r\n";
        };
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        if (reply instanceof Resp.BulkString b) {
            out.writeBytes(b.text().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(new byte[] {'\r', '\n'});
        } else if (reply instanceof Resp.ArrayReply a) {
            a.items().forEach(item -> write(item, out));
        }
    }

    @Property(tries = 500)
    void everyReplyRoundTrips(@ForAll("replies") Resp.Reply reply) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(reply, out);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertEquals(reply, Resp.read(in));
        assertEquals(0, in.available(), "the reply is read exactly to its end");
    }

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrThrowTheTypedException(@ForAll("replyLikeBytes") byte[] bytes) {
        try {
            Resp.read(new ByteArrayInputStream(bytes));
        } catch (ProtocolViolationException | EOFException expected) {
            // the only exceptions allowed
        } catch (IOException e) {
            throw new AssertionError("untyped IOException", e);
        }
    }

    @Property(tries = 300)
    void everyTruncationOfAReplyThrowsEof(@ForAll("replies") Resp.Reply reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(reply, out);
        byte[] whole = out.toByteArray();
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            try {
                Resp.read(new ByteArrayInputStream(part));
                throw new AssertionError("decoded a truncated reply (" + cut + " of " + whole.length + " bytes)");
            } catch (EOFException expected) {
                // a truncated reply is an early end, never a violation
            } catch (IOException e) {
                throw new AssertionError("truncation at " + cut + " gave " + e, e);
            }
        }
        assertTrue(whole.length > 0);
    }

    @Provide
    Arbitrary<Resp.Reply> replies() {
        Arbitrary<String> line = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
        Arbitrary<Resp.Reply> leaf = Arbitraries.oneOf(
                line.map(Resp.SimpleString::new),
                line.map(Resp.ErrorReply::new),
                Arbitraries.longs().between(-999_999_999_999L, 999_999_999_999L).map(Resp.IntegerReply::new),
                Arbitraries.strings().ofMaxLength(60).map(Resp.BulkString::new),
                Arbitraries.just(new Resp.NullReply()));
        return Arbitraries.oneOf(leaf, leaf.list().ofMaxSize(5).map(items -> (Resp.Reply) new Resp.ArrayReply(items)),
                leaf.list().ofMaxSize(3).map(Resp.ArrayReply::new).list().ofMaxSize(3)
                        .map(items -> new Resp.ArrayReply(new ArrayList<Resp.Reply>(items))));
    }

    /** Mostly reply-shaped: type bytes, digits, minus signs, CR and LF, with some arbitrary bytes among them. */
    @Provide
    Arbitrary<byte[]> replyLikeBytes() {
        Arbitrary<Byte> shaped = Arbitraries.of((byte) '+', (byte) '-', (byte) ':', (byte) '$', (byte) '*',
                (byte) '0', (byte) '1', (byte) '2', (byte) '9', (byte) '\r', (byte) '\n', (byte) 'a');
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, shaped),
                        net.jqwik.api.Tuple.of(1, Arbitraries.bytes()))
                .list().ofMaxSize(40)
                .map(list -> {
                    byte[] out = new byte[list.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = list.get(i);
                    }
                    return out;
                });
    }
}
