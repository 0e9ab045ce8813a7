package weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import weft.ProtocolViolationException;
import weft.io.LengthPrefixed;
import weft.io.ProtobufException;
import weft.io.ProtobufReader;

/** The framing every protocol message passes through: protobuf fields and uvarint length prefixes. */
class IoFuzzTest {
    /** identify's limit in go and js (8 KiB); the largest a weft protocol passes to {@link LengthPrefixed}. */
    private static final int MAX_MESSAGE = 8 * 1024;
    /** Deep enough for identify's nesting, shallow enough that a hostile message cannot recurse for long. */
    private static final int MAX_DEPTH = 8;

    /** Walks every field, reading each the way its wire type allows and descending into length-delimited ones. */
    @FuzzTest
    void protobufReader(byte[] data) {
        try {
            walk(new ProtobufReader(data), 0);
        } catch (ProtobufException expected) {
            // the only way to refuse
        }
        try {
            skipAll(new ProtobufReader(data));
        } catch (ProtobufException expected) {
            // the only way to refuse
        }
    }

    private static void walk(ProtobufReader in, int depth) {
        int fields = 0;
        while (in.next()) {
            assertTrue(in.field() >= 1 && in.field() <= ProtobufReader.MAX_FIELD);
            switch (in.wireType()) {
                case ProtobufReader.VARINT -> in.readBool();
                case ProtobufReader.LEN -> {
                    if (depth < MAX_DEPTH && fields % 3 == 0) {
                        walk(in.readMessage(), depth + 1);
                    } else if (fields % 3 == 1) {
                        in.readString();
                    } else {
                        in.readBytes();
                    }
                }
                default -> in.skip();
            }
            fields++;
        }
    }

    private static void skipAll(ProtobufReader in) {
        while (in.next()) {
            // next() skips the value nobody read
        }
    }

    @FuzzTest
    void lengthPrefixedRead(byte[] data) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            byte[] message;
            while ((message = LengthPrefixed.read(in, MAX_MESSAGE)) != null) {
                assertTrue(message.length <= MAX_MESSAGE);
            }
        } catch (ProtocolViolationException | EOFException expected) {
            // too long, a bad varint, or cut off
        }
    }
}
