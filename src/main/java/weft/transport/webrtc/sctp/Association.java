package weft.transport.webrtc.sctp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.io.Scheduler;

/**
 * One SCTP association (RFC 9260) carried over a DTLS connection (RFC 8261), as WebRTC data channels use it.
 *
 * <p>Roles: {@link #server} waits for the peer's INIT and answers with a State Cookie (section 5.1: "Upon
 * reception of the INIT chunk, the other endpoint "Z" MUST respond immediately with an INIT ACK [...] MUST NOT
 * allocate any resources"); {@link #client} sends the INIT. After COOKIE-ECHO / COOKIE-ACK both sides are
 * ESTABLISHED and symmetric: reliable, ordered, message-oriented delivery on numbered streams, with SACKs,
 * retransmission, congestion and flow control ({@link SendQueue}, {@link ReceiveQueue}), heartbeats when idle,
 * stream reset ({@link StreamResets}), graceful SHUTDOWN and ABORT. The protocol itself is {@link
 * AssociationMachine}; this class adds the lock, the timer and the blocking calls.
 *
 * <p>Threads: {@link #receive} runs on the thread that reads the DTLS connection; {@link #send} on application
 * threads, blocking while the send buffer (or the stream's own share of it) is full; timers on the {@link
 * Scheduler}'s thread. Every entry point takes the one lock; packets go to the {@link Output} under it (so keep
 * {@code Output.send} short and non-blocking), and {@link Handler} callbacks run after the lock is released, in
 * order.
 */
public final class Association {
    private static final Logger log = LoggerFactory.getLogger(Association.class);

    /** Where encoded packets go: the DTLS connection. */
    @FunctionalInterface
    public interface Output {
        void send(byte[] packet) throws IOException;
    }

    /**
     * What the association tells the layer above (data channels). Called without the lock. Messages and stream
     * resets come from {@link #receive}'s thread in arrival order; {@code onEstablished} and {@code onClosed} may
     * come from any entry point or the timer. Implementations hand data over and return; they must not block.
     */
    public interface Handler {
        void onEstablished();

        void onMessage(int streamId, int ppid, byte[] payload);

        /** The peer reset its outgoing stream {@code streamId}: nothing more arrives on it. */
        void onIncomingStreamReset(int streamId);

        /** Our reset of {@code streamId} completed; the id may be reused. */
        void onOutgoingStreamReset(int streamId);

        /** The association ended: {@code cause} is null after a graceful shutdown. */
        void onClosed(IOException cause);
    }

    /**
     * Sizes: the receive window we advertise, the send buffer beyond which {@link #send} blocks, the largest
     * message we reassemble, the largest SCTP packet we send, and the idle time before a HEARTBEAT.
     */
    public record Config(int receiveWindow, int sendBuffer, int maxMessageSize, int mtu, Duration heartbeatInterval) {
        public Config {
            if (maxMessageSize > receiveWindow) {
                // a message is delivered whole, so its fragments must all fit in the window at once
                throw new IllegalArgumentException("sctp: max message size " + maxMessageSize
                        + " exceeds the receive window " + receiveWindow);
            }
        }

        /**
         * 1 MiB windows; 256 KiB messages (the spec's data channel messages are at most 16 KiB); packets of 1192
         * bytes: 1280 (the IPv6 minimum MTU) - 40 (IPv6) - 8 (UDP) - 37 (a DTLS 1.2 AES-GCM record: 13 header,
         * 8 explicit nonce, 16 tag), rounded down to four bytes; heartbeats every 30 s (section 16, HB.interval).
         */
        public static Config defaults() {
            return new Config(1 << 20, 1 << 20, 256 * 1024, 1192, Duration.ofSeconds(30));
        }
    }

    /**
     * Bytes of {@link #offer}ed replies queued beyond the send buffer before more are dropped: room for a few
     * thousand of the 3 to 10 byte replies data channels send (go-libp2p webrtc allows each stream
     * {@code maxTotalControlMessagesSize} = 50 bytes of them beyond its send limit).
     */
    static final int OFFER_ALLOWANCE = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private final Config config;
    private final Scheduler scheduler;
    private final AssociationMachine machine; // guarded by lock
    private long scheduledFor = AssociationMachine.OFF; // guarded by lock
    private Scheduler.Cancellable scheduled; // guarded by lock

    private Association(Config config, Scheduler scheduler, Output output, Handler handler, boolean client) {
        this.config = config;
        this.scheduler = scheduler;
        this.machine = new AssociationMachine(config, scheduler::nanoTime, output, handler, client);
    }

    /** An association that waits for the peer's INIT (the WebRTC-direct listener's side of the DTLS link). */
    public static Association server(Config config, Scheduler scheduler, Output output, Handler handler) {
        return new Association(config, scheduler, output, handler, false);
    }

    /** An association that starts by sending INIT; {@link #start} sends it. */
    public static Association client(Config config, Scheduler scheduler, Output output, Handler handler) {
        return new Association(config, scheduler, output, handler, true);
    }

    /** Sends the INIT of a client association. */
    public void start() {
        lock.lock();
        try {
            machine.sendInit();
        } finally {
            unlockAndDispatch();
        }
    }

    /** Handles one packet from the peer. Malformed packets are dropped; protocol violations abort. */
    public void receive(byte[] bytes, int length) {
        lock.lock();
        try {
            if (machine.state() == AssociationMachine.State.CLOSED) {
                return;
            }
            SctpPacket packet;
            try {
                packet = SctpPacket.decode(bytes, length);
            } catch (SctpException e) {
                log.debug("sctp: dropped packet: {}", e.getMessage());
                return;
            }
            machine.process(packet);
            machine.transmit(false);
        } catch (SctpException e) {
            machine.close(e, true);
        } finally {
            unlockAndDispatch();
        }
    }

    /**
     * Queues one message on {@code streamId}; blocks while the send buffer is full (the back-pressure of the
     * peer's window and our congestion window). Messages sent before the handshake completes wait for it.
     */
    public void send(int streamId, int ppid, byte[] message, boolean unordered) throws IOException {
        send(streamId, ppid, message, unordered, 0);
    }

    /**
     * As {@link #send(int, int, byte[], boolean)}, waiting at most {@code timeoutNanos} for send-buffer room (zero or
     * less: without bound).
     *
     * @throws SocketTimeoutException when the buffer stayed full that long; the message was not queued
     */
    public void send(int streamId, int ppid, byte[] message, boolean unordered, long timeoutNanos)
            throws IOException {
        send(streamId, ppid, message, unordered, timeoutNanos, Integer.MAX_VALUE, Guard.NONE);
    }

    /**
     * A sender's own condition, checked under the association's lock before each wait for room and right before its
     * message is queued: it throws to give the send up (its data channel was reset or closed meanwhile). Whoever
     * changes the answer calls {@link #wakeSenders}. It runs under the association's lock, so it must not take a lock
     * that is held while calling into the association.
     */
    @FunctionalInterface
    public interface Guard {
        Guard NONE = () -> { };

        void check() throws IOException;
    }

    /**
     * As {@link #send(int, int, byte[], boolean, long)}, with two more conditions: at most {@code streamBuffer} bytes
     * queued and not yet sent on {@code streamId} ({@link #bufferedAmount(int)}; a message always goes into an empty
     * one), so that a stream whose data cannot move does not take the whole send buffer from the others; and
     * {@code guard}, which may end the wait with its exception.
     *
     * @throws SocketTimeoutException when there was no room that long; the message was not queued
     */
    public void send(int streamId, int ppid, byte[] message, boolean unordered, long timeoutNanos, int streamBuffer,
                     Guard guard) throws IOException {
        if (message.length == 0) {
            throw new IllegalArgumentException("sctp: a message needs at least one byte (RFC 9260 section 6.2)");
        }
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (true) {
                guard.check();
                machine.throwIfClosed();
                if (machine.state().compareTo(AssociationMachine.State.ESTABLISHED) > 0) {
                    throw new ConnectionClosedException("sctp: association is shutting down", false, null);
                }
                int buffered = machine.bufferedBytes();
                int ours = machine.pendingBytes(streamId);
                if ((buffered == 0 || buffered + message.length <= config.sendBuffer())
                        && (ours == 0 || ours + message.length <= streamBuffer)) {
                    break;
                }
                if (timeoutNanos <= 0) {
                    writable.await();
                } else if (remaining <= 0) {
                    throw new SocketTimeoutException("sctp: write timed out waiting for send buffer room ("
                            + buffered + " bytes queued, " + ours + " on stream " + streamId + ", "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)");
                } else {
                    remaining = writable.awaitNanos(remaining);
                }
            }
            machine.enqueue(streamId, ppid, message, unordered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("sctp: interrupted while the send buffer was full");
        } finally {
            unlockAndDispatch();
        }
    }

    /** Wakes every sender waiting for room, so that each checks its {@link Guard} again. */
    public void wakeSenders() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a small protocol message without waiting for send-buffer room: for replies sent from a {@link Handler}
     * callback (a data channel ACK, a FIN_ACK), which must not block. Dropped once the association is closing, and
     * when the send buffer is more than {@link #OFFER_ALLOWANCE} past its bound: a peer that keeps its window shut
     * while it makes us reply (open, FIN, reset, again) cannot make the queue grow without end. A lost reply costs
     * the peer a timeout (a FIN_ACK) at worst.
     */
    public void offer(int streamId, int ppid, byte[] message) {
        lock.lock();
        try {
            if (message.length > 0 && machine.state().compareTo(AssociationMachine.State.ESTABLISHED) <= 0) {
                if (machine.bufferedBytes() + message.length > config.sendBuffer() + OFFER_ALLOWANCE) {
                    log.debug("sctp: dropped a {}-byte reply on stream {}: send buffer full ({} bytes)",
                            message.length, streamId, machine.bufferedBytes());
                    return;
                }
                machine.enqueue(streamId, ppid, message, false);
            }
        } finally {
            unlockAndDispatch();
        }
    }

    /** The layer above took {@code bytes} of delivered messages out of its buffers; reopens our window. */
    public void consumed(int bytes) {
        lock.lock();
        try {
            machine.consumed(bytes);
        } finally {
            unlockAndDispatch();
        }
    }

    /** Resets our outgoing stream {@code streamId} after the data already queued on it (RFC 6525, RFC 8831 6.7). */
    public void resetStream(int streamId) {
        lock.lock();
        try {
            machine.resetStream(streamId);
        } finally {
            unlockAndDispatch();
        }
    }

    /** Section 9.2: send what is queued, then SHUTDOWN; {@link Handler#onClosed} with null ends it. */
    public void shutdown() {
        lock.lock();
        try {
            machine.shutdown();
        } finally {
            unlockAndDispatch();
        }
    }

    /** Section 9.1: ABORT at once; queued data is lost. */
    public void abort(IOException cause) {
        lock.lock();
        try {
            machine.close(cause, true);
        } finally {
            unlockAndDispatch();
        }
    }

    public boolean isEstablished() {
        lock.lock();
        try {
            return machine.state() == AssociationMachine.State.ESTABLISHED;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return machine.state() == AssociationMachine.State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes queued or in flight, not yet acknowledged. */
    public int bufferedAmount() {
        lock.lock();
        try {
            return machine.bufferedBytes();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes queued on {@code streamId} and not yet sent: what its {@code streamBuffer} bounds in {@link #send}. */
    public int bufferedAmount(int streamId) {
        lock.lock();
        try {
            return machine.pendingBytes(streamId);
        } finally {
            lock.unlock();
        }
    }

    private void onTimer() {
        lock.lock();
        try {
            scheduledFor = AssociationMachine.OFF;
            machine.timeout();
        } finally {
            unlockAndDispatch();
        }
    }

    /**
     * Ends every entry point: re-arms the one scheduled wake-up for the machine's earliest deadline, wakes senders
     * waiting for buffer space, releases the lock, then runs the handler callbacks collected under it, in order.
     */
    private void unlockAndDispatch() {
        long next = machine.nextDeadline();
        if (next != scheduledFor) {
            if (scheduled != null) {
                scheduled.cancel();
                scheduled = null;
            }
            scheduledFor = next;
            if (next != AssociationMachine.OFF) {
                scheduled = scheduler.schedule(Duration.ofNanos(Math.max(0, next - scheduler.nanoTime())),
                        this::onTimer);
            }
        }
        writable.signalAll();
        List<Runnable> ready = machine.takeEvents();
        lock.unlock();
        ready.forEach(Runnable::run);
    }
}
