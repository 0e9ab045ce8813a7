package weft.transport.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.ConnectionClosedException;
import weft.crypto.PrivateKey;
import weft.io.Scheduler;
import weft.io.Threads;
import weft.security.SecureConnection;
import weft.security.noise.NoiseSecureChannel;
import weft.trace.Trace;
import weft.transport.webrtc.dtls.ClientHelloAssembler;
import weft.transport.webrtc.dtls.DtlsConnection;
import weft.transport.webrtc.dtls.DtlsServer;
import weft.transport.webrtc.dtls.RemoteDatagrams;
import weft.transport.webrtc.sctp.Association;

/**
 * Everything the listener knows about one remote address, and the thread that takes it from a verified
 * ClientHello to an authenticated {@link WebRtcConnection}: DTLS handshake, SCTP association, Noise on channel 0.
 *
 * <p>webrtc-direct.md, Connection Security: "_A_ and _B_ open a WebRTC data channel with {@code id: 0} and
 * {@code negotiated: true}. _B_ starts a Noise {@code XX} handshake on the new channel", with the prologue of
 * {@link NoisePrologue}. "On success of the authentication handshake, the used datachannel is closed".
 *
 * <p>Every failure of this remote (a DTLS alert, an SCTP abort, a Noise failure, a timeout, its consent expiring)
 * ends here and only here: the session closes its queue and association and tells the listener to forget it.
 */
final class RemoteSession {
    private static final Logger log = LoggerFactory.getLogger(RemoteSession.class);
    /** The largest DTLS record plaintext we accept (RFC 6347: records up to 2^14 bytes, plus slack). */
    private static final int RECORD_BUFFER = 65_536;

    /** An authenticated connection and the session it came from, waiting for the listener's accept. */
    record Ready(RemoteSession session, WebRtcConnection connection) {
    }

    final InetSocketAddress address;
    final String ufrag;
    private final RemoteDatagrams datagrams;
    /** The fragments of a ClientHello that came in pieces, until the cookie check; socket loop only. */
    final ClientHelloAssembler clientHello = new ClientHelloAssembler();
    private final long admittedNanos;
    private final AtomicBoolean pending = new AtomicBoolean(true);
    private volatile boolean authenticated;
    private volatile long lastConsentNanos;
    private volatile boolean handshakeStarted;
    private volatile Association association;
    private volatile boolean closed;

    RemoteSession(InetSocketAddress address, String ufrag, RemoteDatagrams.Sender sender, long nowNanos) {
        this.address = address;
        this.ufrag = ufrag;
        this.datagrams = new RemoteDatagrams(sender);
        this.lastConsentNanos = nowNanos;
        this.admittedNanos = nowNanos;
    }

    /** When the listener admitted this remote (its first valid check). */
    long admittedNanos() {
        return admittedNanos;
    }

    /** True once the Noise handshake proved the remote's peer id. */
    boolean isAuthenticated() {
        return authenticated;
    }

    /** True the first time only: this remote leaves the listener's pending count. */
    boolean endPending() {
        return pending.compareAndSet(true, false);
    }

    /** A valid STUN check arrived: consent is fresh (RFC 7675 section 5.1). */
    void consentRefreshed(long nowNanos) {
        lastConsentNanos = nowNanos;
    }

    long lastConsentNanos() {
        return lastConsentNanos;
    }

    boolean handshakeStarted() {
        return handshakeStarted;
    }

    /** A DTLS datagram for the running session; dropped when its queue is full. */
    void offer(byte[] datagram) {
        datagrams.offer(datagram);
    }

    /** Starts this remote's thread: DTLS from {@code hello}, then SCTP and Noise; the result goes to {@code ready}. */
    void start(DtlsServer dtls, DtlsServer.VerifiedHello hello, WebRtcDirectListener.Config config,
            PrivateKey identity, Trace trace, Consumer<Ready> ready, Runnable forget) {
        handshakeStarted = true;
        Threads.startVirtual("weft-webrtc-" + address.getPort(), () -> {
            try {
                WebRtcConnection connection = establish(dtls, hello, config, identity, trace);
                authenticated = true;
                ready.accept(new Ready(this, connection));
            } catch (IOException | RuntimeException e) {
                log.debug("webrtc: remote {} failed: {}", address, e.toString());
                close(e instanceof IOException io ? io : new IOException(e));
                forget.run();
            }
        });
    }

    private WebRtcConnection establish(DtlsServer dtls, DtlsServer.VerifiedHello hello,
            WebRtcDirectListener.Config config, PrivateKey identity, Trace trace) throws IOException {
        DtlsConnection connection = dtls.accept(hello, datagrams);
        if (trace.on()) WebRtcTrace.dtls(trace, connection);
        DataChannelConnection channels = new DataChannelConnection(false, config.channels(), trace);
        Association sctp = Association.server(config.association(), Scheduler.system(),
                packet -> connection.send(packet, 0, packet.length), channels);
        channels.attach(sctp);
        association = sctp;
        Threads.startVirtual("weft-webrtc-reader-" + address.getPort(), () -> readRecords(connection, sctp));
        byte[] prologue = NoisePrologue.of(connection.remoteFingerprint(), dtls.fingerprint());
        NoiseSecureChannel noise = new NoiseSecureChannel(identity).withPrologue(prologue)
                .withHandshakeTimeout(config.handshakeTimeout());
        SecureConnection secured = noise.secureOutbound(channels.handshakeChannel(), null);
        channels.handshakeChannel().close();
        return new WebRtcConnection(secured.remotePublicKey(), address, channels);
    }

    /** This remote's DTLS records into its association, until either ends. */
    private void readRecords(DtlsConnection connection, Association sctp) {
        byte[] buffer = new byte[RECORD_BUFFER];
        try {
            while (!sctp.isClosed()) {
                int n = connection.receive(buffer, 1000);
                if (n > 0) {
                    sctp.receive(buffer, n);
                }
            }
        } catch (IOException e) {
            sctp.abort(new ConnectionClosedException("webrtc: dtls ended: " + e.getMessage(), true, e));
        } finally {
            datagrams.close();
        }
    }

    /** Tears down this remote only. */
    void close(IOException cause) {
        closed = true;
        Association sctp = association;
        if (sctp != null) {
            sctp.abort(cause);
        }
        datagrams.close();
    }

    /** True once this remote's association ended (after it was established) or its setup failed. */
    boolean isClosed() {
        Association sctp = association;
        return closed || sctp != null && sctp.isClosed();
    }
}
