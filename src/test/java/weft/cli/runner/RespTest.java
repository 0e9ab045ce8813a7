package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.ProtocolViolationException;

/** RESP2 examples from the protocol spec (redis.io, develop/reference/protocol-spec), both ways. */
class RespTest {
    private static Resp.Reply read(String wire) throws IOException {
        return Resp.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void commandIsAnArrayOfBulkStrings() {
        assertEquals("*3\r\n$5\r\nRPUSH\r\n$12\r\nlistenerAddr\r\n$5\r\n/ip4/\r\n",
                new String(Resp.command("RPUSH", "listenerAddr", "/ip4/"), StandardCharsets.US_ASCII));
    }

    @Test
    void bulkStringLengthCountsUtf8BytesNotCharacters() {
        assertEquals("*1\r\n$2\r\n\u00c3\u00a9\r\n", new String(Resp.command("é"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void eachReplyTypeDecodesFromTheSpecExamples() throws IOException {
        assertEquals(new Resp.SimpleString("OK"), read("+OK\r\n"));
        assertEquals(new Resp.ErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value"),
                read("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"));
        assertEquals(new Resp.IntegerReply(1000), read(":1000\r\n"));
        assertEquals(new Resp.IntegerReply(-7), read(":-7\r\n"));
        assertEquals(new Resp.BulkString("hello"), read("$5\r\nhello\r\n"));
        assertEquals(new Resp.BulkString(""), read("$0\r\n\r\n"));
        assertEquals(new Resp.NullReply(), read("$-1\r\n"));
        assertEquals(new Resp.NullReply(), read("*-1\r\n"));
        assertEquals(new Resp.ArrayReply(List.of()), read("*0\r\n"));
        assertEquals(new Resp.ArrayReply(List.of(new Resp.BulkString("k"), new Resp.BulkString("/ip4/1.2.3.4"))),
                read("*2\r\n$1\r\nk\r\n$12\r\n/ip4/1.2.3.4\r\n"));
    }

    @Test
    void bulkStringMayContainCrLf() throws IOException {
        assertEquals(new Resp.BulkString("a\r\nb"), read("$4\r\na\r\nb\r\n"));
    }

    @Test
    void truncatedRepliesThrowEof() {
        for (String wire : List.of("", "+OK", "+OK\r", "$5\r\nhel", "*2\r\n$1\r\nk\r\n", ":12")) {
            assertThrows(EOFException.class, () -> read(wire), wire);
        }
    }

    @Test
    void malformedRepliesThrowProtocolViolation() {
        for (String wire : List.of("?what\r\n", "+OK\n", "+O\rK\r\n", ":12a\r\n", ":\r\n", "$-2\r\n", "$5\r\nhelloXY",
                "*-5\r\n", ":1234567890123456789\r\n")) {
            assertThrows(ProtocolViolationException.class, () -> read(wire), wire);
        }
    }

    @Test
    void oversizedBulkStringIsRefusedBeforeReadingIt() {
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> read("$" + (Resp.MAX_BULK + 1) + "\r\n"));
        assertTrue(e.getMessage().startsWith("redis: bulk string length "), e.getMessage());
    }

    @Test
    void deeplyNestedArraysAreRefused() {
        assertThrows(ProtocolViolationException.class, () -> read("*1\r\n".repeat(Resp.MAX_DEPTH + 1) + ":1\r\n"));
    }

    @Test
    void overlongLineIsRefused() {
        assertThrows(ProtocolViolationException.class, () -> read("+" + "x".repeat(Resp.MAX_LINE + 1) + "\r\n"));
    }
}
