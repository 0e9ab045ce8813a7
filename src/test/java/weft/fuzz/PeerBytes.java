package weft.fuzz;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import weft.io.DuplexStream;

/**
 * A peer that sends the fuzzer's bytes and then ends the stream; whatever we write to it is discarded. Reading
 * past its bytes gives EOF at once, so a decoder fed from it cannot block.
 */
final class PeerBytes implements DuplexStream {
    private final ByteArrayInputStream input;

    PeerBytes(byte[] peerSends) {
        this.input = new ByteArrayInputStream(peerSends);
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return OutputStream.nullOutputStream();
    }

    /** How many of the peer's bytes have not been read yet. */
    int unread() {
        return input.available();
    }

    @Override
    public void close() {}
}
