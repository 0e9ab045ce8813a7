package weft.transport.webrtc.sctp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;

/**
 * The protocol of one association, RFC 9260 read as a state machine: chunks in, chunks out, deadlines. It is not
 * thread-safe and never blocks; {@link Association} owns the lock, the timer and the blocking calls around it.
 *
 * <p>Section 4 states: LISTEN (our name for CLOSED on a responder waiting for INIT), COOKIE-WAIT, COOKIE-ECHOED,
 * ESTABLISHED, SHUTDOWN-PENDING, SHUTDOWN-SENT, SHUTDOWN-RECEIVED, SHUTDOWN-ACK-SENT, CLOSED. Outbound packets are
 * bundled: the due SACK first, then control chunks, then DATA (section 6.10), each packet at most the MTU.
 */
final class AssociationMachine {
    private static final Logger log = LoggerFactory.getLogger(AssociationMachine.class);

    /** RFC 9260 section 16: Association.Max.Retrans 10 attempts, Max.Init.Retransmits 8 attempts. */
    static final int MAX_RETRANSMISSIONS = 10;
    static final int MAX_INIT_RETRANSMISSIONS = 8;
    /** Section 6.2: "an acknowledgement SHOULD be generated [...] within 200 ms of the arrival". */
    static final long SACK_DELAY_NANOS = 200_000_000L;
    static final long OFF = Long.MAX_VALUE;

    enum State {
        LISTEN, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED,
        SHUTDOWN_PENDING, SHUTDOWN_SENT, SHUTDOWN_RECEIVED, SHUTDOWN_ACK_SENT, CLOSED
    }

    private final Association.Config config;
    private final LongSupplier clock;
    private final Association.Output output;
    private final Association.Handler handler;
    private final StateCookie cookies;
    private final int localTag;
    private final int localInitialTsn;
    private final SendQueue sendQueue;
    private final List<Runnable> events = new ArrayList<>(); // handler calls, run by Association after unlocking
    private final List<Chunk> control = new ArrayList<>(); // chunks for the next packet
    private State state;
    private int peerTag;
    private ReceiveQueue receiveQueue; // null until the peer's INIT or INIT-ACK is known
    private StreamResets resets;
    private IOException closeCause;
    private boolean sackDue;
    private int packetsSinceSack;
    private int lastAdvertisedWindow;
    private int peerArwnd;
    private int errorCount;
    private int initRetransmissions;
    private Chunk handshakeChunk; // INIT, COOKIE-ECHO, SHUTDOWN or SHUTDOWN-ACK, kept for retransmission
    private boolean heartbeatOutstanding;
    private long t1 = OFF;
    private long t2 = OFF;
    private long t3 = OFF;
    private long sackTimer = OFF;
    private long heartbeatTimer = OFF;
    private long reconfigTimer = OFF;

    AssociationMachine(Association.Config config, LongSupplier clock, Association.Output output,
            Association.Handler handler, boolean client) {
        SecureRandom random = new SecureRandom();
        this.config = config;
        this.clock = clock;
        this.output = output;
        this.handler = handler;
        this.cookies = new StateCookie(random);
        int tag;
        do {
            tag = random.nextInt(); // section 5.3.1: "MUST NOT take the value 0"
        } while (tag == 0);
        this.localTag = tag;
        this.localInitialTsn = random.nextInt();
        this.sendQueue = new SendQueue(localInitialTsn, config.mtu());
        this.state = client ? State.COOKIE_WAIT : State.LISTEN;
    }

    State state() {
        return state;
    }

    /** Section 5.1 step A: a client's INIT, retransmitted by T1 until the INIT-ACK. */
    void sendInit() {
        if (state == State.COOKIE_WAIT && handshakeChunk == null) {
            handshakeChunk = new Chunk.Init(false, localTag, config.receiveWindow(), 65535, 65535,
                    localInitialTsn, localParams(null));
            emit(0, List.of(handshakeChunk));
            t1 = now() + sendQueue.rtoNanos();
        }
    }

    void enqueue(int streamId, int ppid, byte[] message, boolean unordered) {
        sendQueue.enqueue(streamId, ppid, message, unordered);
        transmit(false);
    }

    int bufferedBytes() {
        return sendQueue.bufferedBytes();
    }

    int pendingBytes(int streamId) {
        return sendQueue.pendingBytes(streamId);
    }

    /**
     * The layer above consumed delivered bytes. A window we last advertised below half that has opened since by the
     * receiver's SWS-avoidance step, min(half the buffer, one packet) (RFC 1122 section 4.2.3.3, "min( Fr *
     * RCV.BUFF, Eff.snd.MSS )" with Fr = 1/2), is announced by a SACK: a sender held at a small window need not
     * wait for its retransmission timer. Measured from what we advertised, not from half the window, so that
     * bytes other streams keep unread (their receive bounds) cannot keep the update from going out.
     */
    void consumed(int bytes) {
        if (receiveQueue == null || state == State.CLOSED) {
            return;
        }
        receiveQueue.consumed(bytes);
        int opened = receiveQueue.arwnd() - lastAdvertisedWindow;
        if (lastAdvertisedWindow < config.receiveWindow() / 2
                && opened >= Math.min(config.receiveWindow() / 2, config.mtu())) {
            sackDue = true;
            transmit(false);
        }
    }

    void resetStream(int streamId) {
        if (resets != null && state != State.CLOSED) {
            resets.request(streamId);
            transmit(false);
        }
    }

    /** Section 9.2: SHUTDOWN once everything queued is acknowledged. */
    void shutdown() {
        if (state == State.ESTABLISHED) {
            state = State.SHUTDOWN_PENDING;
            transmit(false);
        } else if (state.compareTo(State.ESTABLISHED) < 0) {
            close(new ConnectionClosedException("sctp: closed before the handshake finished", false, null), true);
        }
    }

    /** The earliest timer deadline, or {@link #OFF}. */
    long nextDeadline() {
        if (state == State.CLOSED) {
            return OFF;
        }
        return Math.min(Math.min(Math.min(t1, t2), Math.min(t3, sackTimer)), Math.min(heartbeatTimer, reconfigTimer));
    }

    /** The handler calls collected so far, to run once the lock is released. */
    List<Runnable> takeEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Runnable> ready = List.copyOf(events);
        events.clear();
        return ready;
    }

    private long now() {
        return clock.getAsLong();
    }

    private List<Chunk.Param> localParams(byte[] cookie) {
        List<Chunk.Param> params = new ArrayList<>();
        if (cookie != null) {
            params.add(new Chunk.Param(Chunk.Param.STATE_COOKIE, cookie));
        }
        // RFC 6525 section 3.1: RE-CONFIG must be listed in Supported Extensions before a peer may send it.
        params.add(new Chunk.Param(Chunk.Param.SUPPORTED_EXTENSIONS, new byte[] {(byte) Chunk.RE_CONFIG}));
        return params;
    }

    void process(SctpPacket packet) throws SctpException {
        List<Chunk> chunks = packet.chunks();
        if (chunks.isEmpty()) {
            return;
        }
        if (chunks.get(0) instanceof Chunk.Init init && !init.ack()) {
            // Section 8.5.1 A: an INIT has tag 0 and is alone in its packet.
            if (packet.verificationTag() == 0 && chunks.size() == 1) {
                onInit(init);
            }
            return;
        }
        if (!tagAccepted(packet)) {
            return;
        }
        boolean data = false;
        long now = now();
        for (Chunk chunk : chunks) {
            switch (chunk) {
                case Chunk.Data d -> {
                    if (receiveQueue != null && acceptsData()) {
                        ReceiveQueue.Outcome outcome = receiveQueue.accept(d);
                        data = true;
                        if (outcome != ReceiveQueue.Outcome.NEW || receiveQueue.hasGaps()) {
                            sackDue = true;
                        }
                    }
                }
                case Chunk.Sack sack -> onSack(sack, now);
                case Chunk.Init init -> onInitAck(init);
                case Chunk.Heartbeat hb when !hb.ack() -> control.add(new Chunk.Heartbeat(true, hb.info()));
                case Chunk.Heartbeat hb -> onHeartbeatAck(hb, now);
                case Chunk.Shutdown s -> onShutdown(s, now);
                case Chunk.ReConfig r -> applyResets(resets == null ? StreamResets.Effects.NONE
                        : resets.onReConfig(r, receiveQueue.cumulativeTsn()));
                case Chunk.Simple s -> {
                    if (!onSimple(s)) {
                        return;
                    }
                }
                case Chunk.Unknown u -> {
                    // Section 3.2: the top two bits of an unknown type say whether to go on and whether to report.
                    if ((u.type() & 0x40) != 0) {
                        control.add(new Chunk.Simple(Chunk.ERROR, false, unrecognizedChunk(u)));
                    }
                    if ((u.type() & 0x80) == 0) {
                        return;
                    }
                }
            }
        }
        if (data) {
            deliver();
            packetsSinceSack++;
            if (packetsSinceSack >= 2) {
                sackDue = true; // section 6.2: a SACK for at least every second packet
            } else if (sackTimer == OFF) {
                sackTimer = now + SACK_DELAY_NANOS;
            }
            heartbeatTimer = now + config.heartbeatInterval().toNanos();
        }
    }

    private boolean tagAccepted(SctpPacket packet) {
        Chunk first = packet.chunks().get(0);
        boolean reflected = first instanceof Chunk.Simple s && s.tBit()
                && (s.type() == Chunk.ABORT || s.type() == Chunk.SHUTDOWN_COMPLETE);
        return packet.verificationTag() == (reflected ? peerTag : localTag);
    }

    private boolean acceptsData() {
        return state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_SENT;
    }

    /** Section 5.1 step B: answer with INIT-ACK and a cookie; keep nothing. Also a restart's or a duplicate's. */
    private void onInit(Chunk.Init init) {
        if (state != State.LISTEN && state != State.ESTABLISHED) {
            return;
        }
        byte[] cookie = cookies.make(init, now());
        Chunk.Init ack = new Chunk.Init(true, localTag, config.receiveWindow(), 65535, 65535, localInitialTsn,
                localParams(cookie));
        emit(init.initiateTag(), List.of(ack));
    }

    /** The client's step C: the INIT-ACK brings the peer's tag and cookie; echo the cookie. */
    private void onInitAck(Chunk.Init initAck) throws SctpException {
        if (!initAck.ack() || state != State.COOKIE_WAIT) {
            return;
        }
        byte[] cookie = initAck.param(Chunk.Param.STATE_COOKIE)
                .orElseThrow(() -> new SctpException("sctp: init-ack without a state cookie"));
        learnPeer(initAck.initiateTag(), initAck.initialTsn(), initAck.arwnd());
        handshakeChunk = new Chunk.Simple(Chunk.COOKIE_ECHO, false, cookie);
        control.add(handshakeChunk);
        state = State.COOKIE_ECHOED;
        initRetransmissions = 0;
        t1 = now() + sendQueue.rtoNanos();
    }

    private void learnPeer(int tag, int initialTsn, int arwnd) {
        peerTag = tag;
        peerArwnd = arwnd;
        receiveQueue = new ReceiveQueue(initialTsn, config.receiveWindow(), config.maxMessageSize());
        lastAdvertisedWindow = config.receiveWindow();
        resets = new StreamResets(localInitialTsn, initialTsn);
        sendQueue.start(arwnd);
    }

    /** ABORT, ERROR, COOKIE-ECHO, COOKIE-ACK, SHUTDOWN-ACK, SHUTDOWN-COMPLETE. False stops the packet. */
    private boolean onSimple(Chunk.Simple chunk) throws SctpException {
        switch (chunk.type()) {
            case Chunk.COOKIE_ECHO -> {
                if (state == State.LISTEN) {
                    StateCookie.Contents peer = cookies.open(chunk.value(), now());
                    learnPeer(peer.peerTag(), peer.peerInitialTsn(), peer.peerArwnd());
                    established();
                } else if (cookies.authenticate(chunk.value()).peerTag() != peerTag) {
                    throw new SctpException("sctp: peer restarted the association");
                }
                control.add(new Chunk.Simple(Chunk.COOKIE_ACK, false, new byte[0]));
            }
            case Chunk.COOKIE_ACK -> {
                if (state == State.COOKIE_ECHOED) {
                    established();
                }
            }
            case Chunk.ABORT -> {
                close(new ConnectionClosedException("sctp: association aborted by remote", true, null), false);
                return false;
            }
            case Chunk.SHUTDOWN_ACK -> {
                if (state == State.SHUTDOWN_SENT || state == State.SHUTDOWN_ACK_SENT) {
                    emit(peerTag, List.of(new Chunk.Simple(Chunk.SHUTDOWN_COMPLETE, false, new byte[0])));
                    close(null, false);
                    return false;
                }
            }
            case Chunk.SHUTDOWN_COMPLETE -> {
                if (state == State.SHUTDOWN_ACK_SENT) {
                    close(null, false);
                    return false;
                }
            }
            default -> log.debug("sctp: error chunk from peer ({} bytes of causes)", chunk.value().length);
        }
        return true;
    }

    private void established() {
        state = State.ESTABLISHED;
        t1 = OFF;
        handshakeChunk = null;
        heartbeatTimer = now() + config.heartbeatInterval().toNanos();
        events.add(handler::onEstablished);
    }

    private void onSack(Chunk.Sack sack, long now) {
        if (receiveQueue == null) {
            return;
        }
        peerArwnd = sack.arwnd();
        // Section 6.1 A: while the peer answers zero window probes with SACKs, it is alive: no error is counted.
        errorCount = 0;
        SendQueue.SackResult result = sendQueue.onSack(sack, now);
        if (result.advanced()) {
            t3 = sendQueue.hasInflight() ? now + sendQueue.rtoNanos() : OFF;
        }
    }

    private void onHeartbeatAck(Chunk.Heartbeat ack, long now) {
        heartbeatOutstanding = false;
        errorCount = 0;
        if (ack.info().length == 8) {
            long rtt = now - ByteBuffer.wrap(ack.info()).getLong();
            if (rtt >= 0 && rtt < SendQueue.RTO_MAX_NANOS) {
                sendQueue.updateRto(rtt);
            }
        }
    }

    /** Section 9.2: the peer shuts down; finish what we have outstanding, then SHUTDOWN-ACK. */
    private void onShutdown(Chunk.Shutdown shutdown, long now) {
        onSack(new Chunk.Sack(shutdown.cumulativeTsnAck(), peerArwnd, List.of(), List.of()), now);
        if (state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING) {
            state = State.SHUTDOWN_RECEIVED;
        } else if (state == State.SHUTDOWN_SENT) {
            state = State.SHUTDOWN_RECEIVED; // both sides shut down at once: answer with SHUTDOWN-ACK
        }
    }

    private void deliver() {
        for (ReceiveQueue.Message m : receiveQueue.takeMessages()) {
            events.add(() -> handler.onMessage(m.streamId(), m.ppid(), m.payload()));
        }
        applyResets(resets.checkDeferred(receiveQueue.cumulativeTsn()));
    }

    private void applyResets(StreamResets.Effects effects) {
        if (!effects.responses().isEmpty()) {
            control.add(new Chunk.ReConfig(effects.responses()));
        }
        for (int stream : effects.incomingReset()) {
            receiveQueue.resetStream(stream);
            events.add(() -> handler.onIncomingStreamReset(stream));
        }
        for (int stream : effects.outgoingReset()) {
            sendQueue.resetSsn(stream);
            events.add(() -> handler.onOutgoingStreamReset(stream));
        }
        if (!effects.outgoingReset().isEmpty() || !resets.hasOutstanding()) {
            reconfigTimer = OFF;
        }
    }

    private static byte[] unrecognizedChunk(Chunk.Unknown chunk) {
        // Section 3.3.10.6: cause code 6 "Unrecognized Chunk Type", carrying the chunk.
        ByteBuffer cause = ByteBuffer.allocate(8 + chunk.value().length + Chunk.padding(chunk.length()));
        cause.putShort((short) 6).putShort((short) (4 + chunk.length()));
        Chunk.write(chunk, cause);
        return cause.array();
    }

    /** Sends the due SACK, control chunks, retransmissions and new data, bundled into as few packets as fit. */
    void transmit(boolean force) {
        if (state == State.CLOSED || receiveQueue == null) {
            if (!control.isEmpty() && state != State.CLOSED && peerTag != 0) {
                emitBundled(new ArrayList<>(control));
            }
            control.clear();
            return;
        }
        long now = now();
        List<Chunk> chunks = new ArrayList<>();
        if (sackDue) {
            Chunk.Sack sack = receiveQueue.sack();
            lastAdvertisedWindow = sack.arwnd();
            chunks.add(sack);
            sackDue = false;
            packetsSinceSack = 0;
            sackTimer = OFF;
        }
        chunks.addAll(control);
        control.clear();
        if (state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_RECEIVED) {
            Chunk.Param request = resets.nextRequest(sendQueue.lastAssignedTsn());
            if (request != null) {
                chunks.add(new Chunk.ReConfig(List.of(request)));
                reconfigTimer = now + sendQueue.rtoNanos();
            }
            List<Chunk.Data> data = sendQueue.nextToSend(now, force);
            chunks.addAll(data);
            if (!data.isEmpty() && t3 == OFF) {
                t3 = now + sendQueue.rtoNanos();
            }
            if (!data.isEmpty()) {
                heartbeatTimer = now + config.heartbeatInterval().toNanos();
            }
        }
        emitBundled(chunks);
        if (sendQueue.isEmpty() && (state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_RECEIVED)) {
            boolean ours = state == State.SHUTDOWN_PENDING;
            state = ours ? State.SHUTDOWN_SENT : State.SHUTDOWN_ACK_SENT;
            handshakeChunk = ours ? new Chunk.Shutdown(receiveQueue.cumulativeTsn())
                    : new Chunk.Simple(Chunk.SHUTDOWN_ACK, false, new byte[0]);
            emit(peerTag, List.of(handshakeChunk));
            t2 = now + sendQueue.rtoNanos();
        }
    }

    private void emitBundled(List<Chunk> chunks) {
        List<Chunk> packet = new ArrayList<>();
        int size = SctpPacket.HEADER_LENGTH;
        for (Chunk chunk : chunks) {
            int length = Chunk.paddedLength(chunk);
            if (!packet.isEmpty() && size + length > config.mtu()) {
                emit(peerTag, packet);
                packet = new ArrayList<>();
                size = SctpPacket.HEADER_LENGTH;
            }
            packet.add(chunk);
            size += length;
        }
        if (!packet.isEmpty()) {
            emit(peerTag, packet);
        }
    }

    private void emit(int tag, List<Chunk> chunks) {
        if (state == State.CLOSED) {
            return;
        }
        byte[] bytes = new SctpPacket(SctpPacket.WEBRTC_PORT, SctpPacket.WEBRTC_PORT, tag, chunks).encode();
        try {
            output.send(bytes);
        } catch (IOException e) {
            close(e, false);
        }
    }

    /** Runs every timer whose deadline has passed: T1-init, T3-rtx, T2-shutdown, RE-CONFIG, delayed SACK, heartbeat. */
    void timeout() {
        if (state == State.CLOSED) {
            return;
        }
        long now = now();
        boolean force = false;
        if (t1 <= now) {
            if (++initRetransmissions > MAX_INIT_RETRANSMISSIONS) {
                close(new ConnectionClosedException("sctp: handshake timed out ("
                        + MAX_INIT_RETRANSMISSIONS + " retransmissions)", false, null), false);
                return;
            }
            sendQueue.backOff();
            emit(state == State.COOKIE_WAIT ? 0 : peerTag, List.of(handshakeChunk));
            t1 = now + sendQueue.rtoNanos();
        }
        if (t3 <= now) {
            sendQueue.onRetransmissionTimeout();
            force = true;
            t3 = now + sendQueue.rtoNanos();
            if (countError()) {
                return;
            }
        }
        if (t2 <= now) {
            sendQueue.backOff();
            emit(peerTag, List.of(handshakeChunk));
            t2 = now + sendQueue.rtoNanos();
            if (countError()) {
                return;
            }
        }
        if (reconfigTimer <= now) {
            sendQueue.backOff();
            control.add(new Chunk.ReConfig(List.of(resets.outstandingParam())));
            reconfigTimer = now + sendQueue.rtoNanos();
        }
        if (sackTimer <= now) {
            sackDue = true;
        }
        if (heartbeatTimer <= now && state == State.ESTABLISHED) {
            if (heartbeatOutstanding && countError()) {
                return;
            }
            heartbeatOutstanding = true;
            control.add(new Chunk.Heartbeat(false, ByteBuffer.allocate(8).putLong(now).array()));
            heartbeatTimer = now + config.heartbeatInterval().toNanos() + sendQueue.rtoNanos();
        }
        transmit(force);
    }

    /** Counts a retransmission or unanswered heartbeat; true (and closed) past Association.Max.Retrans. */
    private boolean countError() {
        if (++errorCount > MAX_RETRANSMISSIONS) {
            close(new ConnectionClosedException("sctp: peer unreachable (" + MAX_RETRANSMISSIONS
                    + " retransmissions unanswered)", false, null), true);
            return true;
        }
        return false;
    }

    void close(IOException cause, boolean sendAbort) {
        if (state == State.CLOSED) {
            return;
        }
        if (sendAbort && peerTag != 0) {
            emit(peerTag, List.of(new Chunk.Simple(Chunk.ABORT, false, new byte[0])));
        }
        if (cause != null) {
            log.debug("sctp: association closed: {}", cause.getMessage());
        }
        state = State.CLOSED;
        closeCause = cause != null ? cause : new ConnectionClosedException("sctp: association shut down", false, null);
        events.add(() -> handler.onClosed(cause));
    }

    void throwIfClosed() throws IOException {
        if (state == State.CLOSED) {
            throw closeCause instanceof ConnectionClosedException c ? c.freshCopy()
                    : new ConnectionClosedException("sctp: association closed", closeCause);
        }
    }
}
