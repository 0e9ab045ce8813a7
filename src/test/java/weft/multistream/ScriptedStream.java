package weft.multistream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import weft.io.DuplexStream;

/** A peer scripted in advance: what it will send is fixed, what we write is recorded write by write. */
class ScriptedStream implements DuplexStream {
    private final ByteArrayInputStream input;
    private final Recorder output = new Recorder();
    boolean closed;

    ScriptedStream(byte[] peerSends) {
        this.input = new ByteArrayInputStream(peerSends);
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Every {@code write} call's bytes, in order. */
    List<byte[]> writes() {
        return output.writes;
    }

    /** Everything written, concatenated. */
    byte[] written() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        output.writes.forEach(all::writeBytes);
        return all.toByteArray();
    }

    int flushes() {
        return output.flushes;
    }

    static final class Recorder extends OutputStream {
        final List<byte[]> writes = new ArrayList<>();
        int flushes;

        @Override
        public void write(int b) {
            writes.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            writes.add(copy);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }
}
