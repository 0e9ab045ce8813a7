package weft.transport.webrtc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.crypto.PeerId;
import weft.crypto.PrivateKey;
import weft.io.Scheduler;
import weft.io.Threads;
import weft.multiformats.Multiaddr;
import weft.security.PeerIdMismatchException;
import weft.security.SecureConnection;
import weft.security.noise.NoiseSecureChannel;
import weft.trace.Trace;
import weft.transport.webrtc.dtls.DtlsCertificate;
import weft.transport.webrtc.dtls.DtlsClient;
import weft.transport.webrtc.dtls.DtlsConnection;
import weft.transport.webrtc.dtls.RemoteDatagrams;
import weft.transport.webrtc.sctp.Association;
import weft.transport.webrtc.stun.IceLiteResponder;
import weft.transport.webrtc.stun.StunException;
import weft.transport.webrtc.stun.StunMessage;

/**
 * The client role of WebRTC-direct (node _A_ of webrtc-direct.md), what a browser does, on one UDP socket of its
 * own per dial:
 *
 * <ol>
 *   <li>ICE: "_A_ generates a random string prefixed with {@code libp2p+webrtc+v1/}" and uses it as both ufrags and
 *       both passwords (step 4); it is the controlling agent and sends binding requests with
 *       {@code USERNAME = <server ufrag>:<client ufrag>}, MESSAGE-INTEGRITY keyed by that string,
 *       {@code USE-CANDIDATE} (aggressive nomination) until the first valid answer. An ICE-lite server (weft's)
 *       sends no checks of its own; a full agent (js-libp2p's node listener, libjuice) does, and each is answered
 *       as the listener answers ours ({@link IceLiteResponder}). Consent is kept fresh with a check every 4 to 6 s
 *       and ends the connection when no answer came for 30 s (RFC 7675 section 5.1).
 *   <li>DTLS 1.2 as client ({@link DtlsClient}): "_A_ [...] verifies that the fingerprint of the DTLS certificate of
 *       _B_ matches the fingerprint in the multiaddr"; a mismatch is a {@link CerthashMismatchException}.
 *   <li>SCTP as the initiator (it sends INIT), data channels with even stream ids (RFC 8832 section 6: "The DTLS
 *       client MUST use even stream identifiers").
 *   <li>Noise XX on the negotiated channel 0, as the responder ("_B_ starts a Noise {@code XX} handshake"), with the
 *       prologue of {@link NoisePrologue} (our fingerprint first); the peer it proves must be the address's
 *       {@code /p2p/} peer, else a {@link PeerIdMismatchException}.
 * </ol>
 *
 * <p>Bounded: the whole dial, from the first check to the finished Noise handshake, ends at the deadline with a
 * {@link SocketTimeoutException}; an ICMP port unreachable ends it at once with a {@link ConnectException}; an
 * interrupt with an {@link InterruptedIOException}. Every failure closes the socket and the threads.
 *
 * <p>Threads: the calling thread runs the handshakes; the socket loop ({@code weft-webrtc-dial-<port>}) reads
 * every datagram, answers and sends STUN (its 250 ms receive timeout paces the checks) and queues DTLS datagrams;
 * the record reader ({@code weft-webrtc-reader-<port>}) feeds the association, which runs on it as on the
 * listener's side, and closes the socket once the association ended.
 */
final class WebRtcDirectDialer {
    private static final Logger log = LoggerFactory.getLogger(WebRtcDirectDialer.class);
    /** RFC 8489 section 6.2.1: the initial RTO "SHOULD be greater than or equal to 500 ms"; no backoff here. */
    private static final long CHECK_RETRANSMIT_NANOS = 500_000_000L;
    /** RFC 7675 section 5.1: checks at "a randomized interval between 4 and 6 seconds"; this is the lower end. */
    private static final long CONSENT_INTERVAL_NANOS = 4_000_000_000L;
    /** RFC 7675 section 5.1: "Consent expires after 30 seconds" without a fresh answer. */
    private static final long CONSENT_TIMEOUT_NANOS = 30_000_000_000L;
    /** How often the socket loop wakes without datagrams, to pace checks. */
    private static final int LOOP_WAKE_MILLIS = 250;
    /** Transaction ids of our recent checks, the only answers we accept (RFC 8489 section 6.3). */
    private static final int REMEMBERED_CHECKS = 16;
    /**
     * RFC 8445 section 5.1.2.1: {@code (2^24) * type preference + (2^8) * local preference + (256 - component)},
     * for a peer-reflexive candidate (type preference 110, section 5.1.2.2), local preference 65535, component 1.
     */
    static final int CHECK_PRIORITY = (110 << 24) | (65535 << 8) | 255;

    /** What a dialable address names: {@code /ip4|ip6/<ip>/udp/<port>/webrtc-direct/certhash/<h>...[/p2p/<id>]}. */
    record Target(InetSocketAddress server, List<Fingerprint> certhashes, Optional<PeerId> peer) {
        /** The target of {@code address}, or null when it has another shape or a certhash that is not sha-256. */
        static Target parse(Multiaddr address) {
            try {
                List<Multiaddr.Component> parts = address.withoutPeerId().components();
                if (parts.size() < 4 || !parts.get(1).protocol().equals("udp")
                        || !parts.get(2).protocol().equals(WebRtcDirectTransport.PROTOCOL)
                        || !parts.get(0).protocol().equals("ip4") && !parts.get(0).protocol().equals("ip6")) {
                    return null;
                }
                List<Fingerprint> certhashes = new ArrayList<>();
                for (Multiaddr.Component part : parts.subList(3, parts.size())) {
                    if (!part.protocol().equals("certhash")) {
                        return null;
                    }
                    certhashes.add(Fingerprint.fromCerthash(part.value()));
                }
                InetSocketAddress server = address.withoutPeerId().decapsulate(WebRtcDirectTransport.PROTOCOL)
                        .toSocketAddress();
                Optional<PeerId> peer = address.peerIdBytes().map(PeerId::fromBytes);
                return server.getPort() == 0 ? null : new Target(server, List.copyOf(certhashes), peer);
            } catch (IllegalArgumentException e) { // MultiformatException, a bad peer id
                return null;
            }
        }
    }

    /** A dialed connection and the local end of its socket. */
    record Dialed(WebRtcConnection connection, InetSocketAddress local) {
    }

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final String ufrag;
    private final byte[] password;
    private final byte[] tiebreaker = new byte[8];
    private final SecureRandom random = new SecureRandom();
    private final RemoteDatagrams datagrams;
    private final CountDownLatch answered = new CountDownLatch(1);
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final ArrayDeque<ByteBuffer> checksSent = new ArrayDeque<>(); // socket loop only
    private long lastCheckNanos; // socket loop only
    private long nextConsentNanos; // socket loop only
    private volatile long lastAnswerNanos;
    private volatile Association association;
    private volatile boolean closed;

    private WebRtcDirectDialer(DatagramSocket socket, InetSocketAddress server) {
        this.socket = socket;
        this.server = server;
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        random.nextBytes(tiebreaker);
        this.ufrag = IceLiteResponder.UFRAG_PREFIX + HexFormat.of().formatHex(bytes);
        this.password = ufrag.getBytes(StandardCharsets.UTF_8);
        this.datagrams = new RemoteDatagrams((b, o, l) -> socket.send(new DatagramPacket(b, o, l, server)));
    }

    /**
     * Dials {@code target} as {@code identity}, presenting {@code certificate} in DTLS, within {@code timeout}.
     *
     * @throws CerthashMismatchException the server's certificate is not the address's
     * @throws PeerIdMismatchException the Noise handshake proved another peer than the address's
     * @throws SocketTimeoutException the timeout passed first
     */
    static Dialed dial(Target target, PrivateKey identity, DtlsCertificate certificate,
            WebRtcDirectListener.Config config, Duration timeout, Trace trace) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(
                target.server().getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0));
        WebRtcDirectDialer dialer = new WebRtcDirectDialer(socket, target.server());
        AtomicBoolean settled = new AtomicBoolean(); // the dial's outcome: done, or the deadline, whichever first
        Scheduler.Cancellable watchdog = Scheduler.system().schedule(timeout, () -> {
            if (settled.compareAndSet(false, true)) {
                dialer.fail(timedOut(target.server(), timeout));
            }
        });
        try {
            socket.connect(target.server()); // only the server's datagrams, and its ICMP errors, reach us
            socket.setSoTimeout(LOOP_WAKE_MILLIS);
            Threads.startVirtual("weft-webrtc-dial-" + socket.getLocalPort(), dialer::run);
            WebRtcConnection connection = dialer.establish(target, identity, certificate, config, timeout, trace);
            if (!settled.compareAndSet(false, true)) {
                connection.close();
                throw timedOut(target.server(), timeout); // the deadline passed just as the handshake finished
            }
            watchdog.cancel();
            return new Dialed(connection, (InetSocketAddress) socket.getLocalSocketAddress());
        } catch (IOException | RuntimeException e) {
            watchdog.cancel();
            dialer.fail(e instanceof IOException io ? io : new IOException(e));
            IOException first = dialer.failure.get();
            if (first instanceof SocketTimeoutException || first instanceof ConnectException) {
                throw first; // the reason the handshake below broke off
            }
            throw e;
        }
    }

    private static SocketTimeoutException timedOut(InetSocketAddress server, Duration timeout) {
        return new SocketTimeoutException("webrtc: dialing " + server + " timed out (" + timeout.toMillis() + " ms)");
    }

    private WebRtcConnection establish(Target target, PrivateKey identity, DtlsCertificate certificate,
            WebRtcDirectListener.Config config, Duration timeout, Trace trace) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!answered.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(server, timeout); // no stun answer
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("webrtc: interrupted while dialing " + server);
        }
        throwIfFailed();
        DtlsConnection dtls = DtlsClient.connect(certificate, target.certhashes(), datagrams, remainingMillis(deadline));
        if (trace.on()) WebRtcTrace.dtls(trace, dtls);
        DataChannelConnection channels = new DataChannelConnection(true, config.channels(), trace);
        Association sctp = Association.client(config.association(), Scheduler.system(),
                packet -> dtls.send(packet, 0, packet.length), channels);
        channels.attach(sctp);
        association = sctp;
        throwIfFailed(); // a failure before the association was set did not abort it
        Threads.startVirtual("weft-webrtc-reader-" + socket.getLocalPort(),
                () -> RemoteSession.readRecords(dtls, sctp, this::close));
        sctp.start();
        byte[] prologue = NoisePrologue.of(certificate.fingerprint(), dtls.remoteFingerprint());
        NoiseSecureChannel noise = new NoiseSecureChannel(identity).withPrologue(prologue)
                .withHandshakeTimeout(Duration.ofMillis(remainingMillis(deadline)));
        SecureConnection secured = noise.secureInbound(channels.handshakeChannel());
        PeerId remote = secured.remotePeer();
        if (target.peer().isPresent() && !target.peer().get().equals(remote)) {
            throw new PeerIdMismatchException(target.peer().get(), remote);
        }
        channels.handshakeChannel().close();
        log.debug("webrtc: dialed {} at {}", remote, server);
        return new WebRtcConnection(secured.remotePublicKey(), server, channels);
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private void throwIfFailed() throws IOException {
        IOException cause = failure.get();
        if (cause != null) {
            throw cause;
        }
    }

    /** The socket loop: every datagram from the server, and the checks. */
    private void run() {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
                handle(Arrays.copyOf(buffer, packet.getLength()));
            } catch (SocketTimeoutException e) {
                // a quiet quarter second: time for the checks
            } catch (PortUnreachableException e) {
                fail(new ConnectException("webrtc: nobody listens at " + server + " (port unreachable)"));
            } catch (IOException e) {
                if (!closed) {
                    fail(e);
                }
            } catch (RuntimeException e) {
                log.warn("webrtc: datagram handling failed, loop goes on", e);
            }
            if (!closed) {
                tick(System.nanoTime());
            }
        }
    }

    private void handle(byte[] datagram) throws IOException {
        if (datagram.length == 0) {
            return;
        }
        int first = datagram[0] & 0xff;
        if (first < 4 && StunMessage.isStun(datagram, datagram.length)) {
            onStun(datagram);
        } else if (first >= 20 && first <= 63) {
            datagrams.offer(datagram); // RFC 7983 section 7: 20-63 is DTLS
        }
    }

    private void onStun(byte[] datagram) throws IOException {
        try {
            StunMessage message = StunMessage.decode(datagram, datagram.length);
            if (message.type() == StunMessage.BINDING_SUCCESS) {
                if (checksSent.contains(ByteBuffer.wrap(message.transactionId())) && message.hasValidFingerprint()
                        && message.hasValidIntegrity(password)) {
                    lastAnswerNanos = System.nanoTime();
                    answered.countDown();
                }
            } else if (message.type() == StunMessage.BINDING_REQUEST) {
                // a full ICE agent's own check (its triggered check, then consent): answer as an ICE-lite one does
                Optional<IceLiteResponder.Answer> answer = IceLiteResponder.answer(message, server);
                if (answer.isPresent() && answer.get().ufrag().equals(ufrag)) {
                    byte[] response = answer.get().response();
                    socket.send(new DatagramPacket(response, response.length, server));
                }
            }
        } catch (StunException e) {
            log.trace("webrtc: dropped stun from {}: {}", server, e.getMessage());
        }
    }

    /** Checks until the first answer, then consent checks; consent expired ends the connection. */
    private void tick(long now) {
        try {
            if (answered.getCount() > 0) {
                if (now - lastCheckNanos >= CHECK_RETRANSMIT_NANOS) {
                    sendCheck(now);
                }
            } else if (now - lastAnswerNanos > CONSENT_TIMEOUT_NANOS) {
                fail(new ConnectionClosedException("webrtc: consent expired (no stun answer for "
                        + TimeUnit.NANOSECONDS.toMillis(CONSENT_TIMEOUT_NANOS) + " ms)", true, null));
            } else if (now - nextConsentNanos >= 0) {
                sendCheck(now);
                nextConsentNanos = now + CONSENT_INTERVAL_NANOS + random.nextLong(2_000_000_000L);
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void sendCheck(long now) throws IOException {
        byte[] transaction = new byte[12];
        random.nextBytes(transaction);
        if (checksSent.size() == REMEMBERED_CHECKS) {
            checksSent.removeFirst();
        }
        checksSent.addLast(ByteBuffer.wrap(transaction));
        byte[] check = check(ufrag, transaction, tiebreaker);
        socket.send(new DatagramPacket(check, check.length, server));
        lastCheckNanos = now;
    }

    /**
     * A connectivity check as the controlling agent sends it: {@code USERNAME "<ufrag>:<ufrag>"} (RFC 8445 section
     * 7.2.2, "RFRAG:LFRAG", both the same here), PRIORITY, ICE-CONTROLLING with our tie-breaker, USE-CANDIDATE,
     * MESSAGE-INTEGRITY keyed by the ufrag (the server's password) and FINGERPRINT.
     */
    static byte[] check(String ufrag, byte[] transaction, byte[] tiebreaker) {
        byte[] key = ufrag.getBytes(StandardCharsets.UTF_8);
        return StunMessage.builder(StunMessage.BINDING_REQUEST, transaction)
                .add(StunMessage.USERNAME, (ufrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8))
                .add(StunMessage.PRIORITY, ByteBuffer.allocate(4).putInt(CHECK_PRIORITY).array())
                .add(StunMessage.ICE_CONTROLLING, tiebreaker)
                .add(StunMessage.USE_CANDIDATE, new byte[0])
                .encode(key, true);
    }

    /** Ends this dial or connection for {@code cause}: the first cause is kept; the socket and association end. */
    private void fail(IOException cause) {
        if (failure.compareAndSet(null, cause) && !closed) {
            log.debug("webrtc: connection to {} failed: {}", server, cause.toString());
        }
        Association sctp = association;
        if (sctp != null) {
            sctp.abort(cause);
        }
        close();
        answered.countDown(); // a dial still waiting for the first answer wakes to the failure
    }

    /** Closes the socket: the socket loop ends, and a DTLS handshake still waiting wakes with an exception. */
    private void close() {
        closed = true;
        datagrams.close();
        socket.close();
    }
}
