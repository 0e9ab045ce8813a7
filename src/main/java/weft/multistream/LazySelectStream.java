package weft.multistream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import weft.ProtocolViolationException;
import weft.io.DuplexStream;
import weft.trace.Trace;

/**
 * The stream {@link MultistreamSelect#selectLazily} returns: header and proposal ride on the first write, the
 * listener's header and echo are checked by the first read (go-multistream {@code lazyClient.go} does the same
 * with two {@code sync.Once}).
 *
 * <p>Reads come from one thread and writes from another, so each half has its own lock: {@code writeLock} makes
 * sure the handshake bytes go out exactly once and before any data, whoever gets there first; {@code readLock}
 * makes sure the answer is read exactly once.
 */
final class LazySelectStream implements DuplexStream {
    private final DuplexStream stream;
    private final String protocol;
    private final byte[] handshake;
    private final Input input = new Input();
    private final Output output = new Output();

    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean handshakeSent; // written under writeLock

    private final ReentrantLock readLock = new ReentrantLock();
    private boolean answerChecked; // guarded by readLock
    private IOException failure; // guarded by readLock

    LazySelectStream(DuplexStream stream, String protocol, byte[] handshake) {
        this.stream = Objects.requireNonNull(stream);
        this.protocol = protocol;
        this.handshake = handshake;
    }

    @Override
    public Trace trace() {
        return stream.trace();
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    /** Sends the handshake if nothing was written yet (the listener may be waiting for it), then closes. */
    @Override
    public void close() throws IOException {
        try {
            sendHandshake();
        } finally {
            stream.close();
        }
    }

    /** Sends the handshake if nothing was written yet, then half-closes the stream below. */
    @Override
    public void shutdownOutput() throws IOException {
        sendHandshake();
        stream.shutdownOutput();
    }

    /** Writes and flushes header + proposal unless they went out already. */
    private void sendHandshake() throws IOException {
        if (handshakeSent) {
            return;
        }
        writeLock.lock();
        try {
            if (!handshakeSent) {
                traceHandshake();
                OutputStream out = stream.output();
                out.write(handshake);
                out.flush();
                handshakeSent = true;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** {@code → multistream /multistream/1.0.0} and {@code → multistream <protocol>}, as they go out. */
    private void traceHandshake() {
        Trace trace = stream.trace();
        if (trace.on()) MultistreamSelect.traceMessages(trace, false, MultistreamSelect.PROTOCOL_ID, protocol);
    }

    /** Reads the listener's header and answer once; rethrows the same failure on every later call. */
    private void checkAnswer() throws IOException {
        readLock.lock();
        try {
            if (answerChecked) {
                return;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                sendHandshake();
                MultistreamSelect.expectHeader(stream);
                String answer = MultistreamSelect.receive(stream);
                if (answer.equals(MultistreamSelect.NA)) {
                    throw new ProtocolNotSupportedException(List.of(protocol));
                }
                if (!answer.equals(protocol)) {
                    throw new ProtocolViolationException("multistream: proposed '" + protocol + "', peer answered '"
                            + answer + "'");
                }
                answerChecked = true;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        } finally {
            readLock.unlock();
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            checkAnswer();
            return stream.input().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            checkAnswer();
            return stream.input().read(b, off, len);
        }

        /** 0 until the answer has been checked: the bytes buffered before then are the handshake's. */
        @Override
        public int available() throws IOException {
            readLock.lock();
            try {
                if (!answerChecked) {
                    return 0;
                }
            } finally {
                readLock.unlock();
            }
            return stream.input().available();
        }

        @Override
        public void close() throws IOException {
            stream.input().close();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** The first write carries header + proposal + data in a single write of the underlying stream. */
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (!handshakeSent) {
                writeLock.lock();
                try {
                    if (!handshakeSent) {
                        byte[] first = new byte[handshake.length + len];
                        System.arraycopy(handshake, 0, first, 0, handshake.length);
                        System.arraycopy(b, off, first, handshake.length, len);
                        traceHandshake();
                        stream.output().write(first);
                        handshakeSent = true;
                        return;
                    }
                } finally {
                    writeLock.unlock();
                }
            }
            stream.output().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            sendHandshake();
            stream.output().flush();
        }

        @Override
        public void close() throws IOException {
            try {
                sendHandshake();
            } finally {
                stream.output().close();
            }
        }
    }
}
