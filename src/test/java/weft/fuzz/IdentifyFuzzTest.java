package weft.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import weft.ProtocolViolationException;
import weft.crypto.KeyFormatException;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.mux.MuxedStream;
import weft.protocol.identify.Identify;
import weft.protocol.identify.IdentifyMessage;

/**
 * identify, the first protocol every peer runs on a new connection: one protobuf message, or several merged, each
 * length-prefixed. Decoding may only throw {@link ProtocolViolationException} (and a cut-off stream
 * {@link EOFException}); a decoded message re-encodes to one that decodes equal, and its key, if it is a valid
 * one, names a peer.
 */
class IdentifyFuzzTest {

    @FuzzTest
    void message(byte[] data) {
        IdentifyMessage message;
        try {
            message = IdentifyMessage.decode(data);
        } catch (ProtocolViolationException expected) {
            return;
        }
        try {
            assertEquals(message, IdentifyMessage.decode(message.encode()));
        } catch (ProtocolViolationException e) {
            throw new AssertionError("re-encoded message does not decode: " + message, e);
        }
        if (message.publicKey() != null) {
            try {
                PeerId.fromPublicKey(PublicKey.unmarshal(message.publicKey()));
            } catch (KeyFormatException expected) {
                // a peer may send any bytes as its key; the host then does not trust the message
            }
        }
    }

    @FuzzTest
    void stream(byte[] data) throws IOException {
        try {
            Identify.read(new PeerStream(data));
        } catch (ProtocolViolationException | EOFException expected) {
            // too long, malformed, too many messages, or cut off
        }
    }

    /** A stream whose peer sends the fuzzer's bytes, then half-closes. */
    private static final class PeerStream implements MuxedStream {
        private final PeerBytes peer;

        PeerStream(byte[] peerSends) {
            this.peer = new PeerBytes(peerSends);
        }

        @Override
        public InputStream input() {
            return peer.input();
        }

        @Override
        public OutputStream output() {
            return peer.output();
        }

        @Override
        public long id() {
            return 1;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            return peer.input().read(buf, off, len);
        }

        @Override
        public void write(byte[] buf, int off, int len) {}

        @Override
        public void closeWrite() {}

        @Override
        public void reset() {}

        @Override
        public void reset(int errorCode) {}

        @Override
        public void setReadTimeout(Duration timeout) {}

        @Override
        public void setWriteTimeout(Duration timeout) {}

        @Override
        public void close() {}
    }
}
