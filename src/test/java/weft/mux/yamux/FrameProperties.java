package weft.mux.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The header codec: what {@code Frame} encodes, {@code FrameReader} decodes to the same fields. */
class FrameProperties {

    @Property
    void headersRoundTrip(@ForAll @IntRange(min = 0, max = 3) int type, @ForAll @IntRange(min = 0, max = 0xffff) int flags,
            @ForAll int streamId, @ForAll int length) throws IOException {
        byte[] frame = Frame.header(type, flags, streamId, type == Frame.TYPE_DATA ? 0 : length);
        List<String> seen = new ArrayList<>();
        new FrameReader(new ByteArrayInputStream(frame)).nextFrame(new FrameReader.Handler() {
            @Override
            public void data(int f, int id, int len, InputStream payload) {
                seen.add("data " + f + " " + id + " " + len);
            }

            @Override
            public void windowUpdate(int f, int id, int delta) {
                seen.add("window " + f + " " + id + " " + delta);
            }

            @Override
            public void ping(int f, int value) {
                seen.add("ping " + f + " " + value);
            }

            @Override
            public void goAway(int code) {
                seen.add("goaway " + code);
            }
        });
        String expected = switch (type) {
            case Frame.TYPE_DATA -> "data " + flags + " " + streamId + " 0";
            case Frame.TYPE_WINDOW_UPDATE -> "window " + flags + " " + streamId + " " + length;
            case Frame.TYPE_PING -> "ping " + flags + " " + length;
            default -> "goaway " + length;
        };
        assertEquals(List.of(expected), seen);
    }
}
