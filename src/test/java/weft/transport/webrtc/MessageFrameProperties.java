package weft.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import weft.ProtocolViolationException;

class MessageFrameProperties {
    @Property(tries = 300)
    void framesRoundTripWhateverTheMessageBoundaries(@ForAll @Size(max = 3000) byte[] data,
            @ForAll MessageFrame.Flag flag, @ForAll @IntRange(min = 1, max = 50) int cut) throws Exception {
        byte[] wire = new MessageFrame(flag, data).encode();
        MessageFrame.Decoder decoder = new MessageFrame.Decoder();
        List<MessageFrame> frames = new java.util.ArrayList<>();
        for (int at = 0; at < wire.length; at += cut) {
            frames.addAll(decoder.feed(java.util.Arrays.copyOfRange(wire, at, Math.min(wire.length, at + cut))));
        }
        assertEquals(1, frames.size());
        assertEquals(flag, frames.get(0).flag());
        assertArrayEquals(data, frames.get(0).message());
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrThrowOnlyProtocolViolation(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            new MessageFrame.Decoder().feed(bytes);
            Dcep.decodeOpen(bytes);
        } catch (ProtocolViolationException expected) {
            // the only exception allowed
        }
    }
}
