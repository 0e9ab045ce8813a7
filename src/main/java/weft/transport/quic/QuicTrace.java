package weft.transport.quic;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import javax.net.ssl.SSLSession;
import weft.crypto.PeerId;
import weft.crypto.PublicKey;
import weft.multiformats.Multiaddr;
import weft.security.HandshakeException;
import weft.trace.Trace;

/**
 * How a QUIC connection shows in the wire trace ({@link weft.trace}): its start, the TLS handshake's outcome, the
 * stream frames weft asks for or hears of (RFC 9000 §19: STREAM with and without FIN, RESET_STREAM, STOP_SENDING)
 * and the connection's end. quiche builds the packets, so these are what crosses the stream API, not every
 * retransmitted frame. The connection and its streams call these from one-line hooks behind {@code trace.on()}.
 *
 * <pre>
 * +0.000ms c1 · connection outbound local=/ip4/127.0.0.1/udp/40717/quic-v1 remote=/ip4/127.0.0.1/udp/43865/quic-v1
 * +419.299ms c1 · tls secured version=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256 alpn=libp2p peer=12D3KooW9rnH...
 *     peer_key=ED25519                                                             (one line)
 * +529.078ms c1 → quic STREAM opened stream=4
 * +529.354ms c1 → multistream /echo/1.0.0 stream=4
 * +529.540ms c1 → quic DATA stream=4 length=33
 * +535.206ms c1 → quic FIN stream=4
 * +538.913ms c1 ← quic FIN stream=4
 * +544.461ms c1 · quic closed reason="quic: connection closed locally"
 * </pre>
 *
 * DATA events are bulk: a {@linkplain weft.trace.TraceListener#summarizing summarizing} listener counts them.
 */
final class QuicTrace {
    static final String LAYER = "quic";

    private QuicTrace() {}

    /** {@code · connection outbound local=... remote=...}: the same line the upgrader traces for TCP. */
    static void started(Trace trace, boolean dialer, Multiaddr local, Multiaddr remote) {
        trace.local("connection").word("role", dialer ? "outbound" : "inbound").pair("local", local)
                .pair("remote", remote).emit();
    }

    /**
     * {@code · tls secured version=TLSv1.3 cipher=... alpn=libp2p peer=12D3KooW... peer_key=ED25519}, on the event
     * loop as the handshake ends; nothing when the peer's certificate holds no key (the dial or accept fails on it).
     */
    static void secured(Trace trace, QuicChannel channel) {
        PublicKey remoteKey;
        try {
            remoteKey = QuicTls.remoteKey(channel);
        } catch (HandshakeException e) {
            return;
        }
        SSLSession session = channel.sslEngine().getSession();
        trace.local("tls").word("message", "secured").pair("version", session.getProtocol())
                .pair("cipher", session.getCipherSuite()).pair("alpn", channel.sslEngine().getApplicationProtocol())
                .pair("peer", PeerId.fromPublicKey(remoteKey)).pair("peer_key", remoteKey.type()).emit();
    }

    /** {@code → quic STREAM opened stream=0} (we opened it) or {@code ← quic STREAM accepted stream=1}. */
    static void stream(Trace stream, boolean local) {
        (local ? stream.sent(LAYER) : stream.received(LAYER)).word("type", "STREAM")
                .word("event", local ? "opened" : "accepted").emit();
    }

    /** {@code → quic DATA stream=0 length=5}: stream data handed to quiche, or read out of it. Bulk. */
    static void data(Trace stream, boolean sent, long length) {
        (sent ? stream.sent(LAYER) : stream.received(LAYER)).word("type", "DATA").pair("length", length)
                .bulk(length).emit();
    }

    /** {@code → quic FIN stream=0}: the end of one direction's data. */
    static void fin(Trace stream, boolean sent) {
        (sent ? stream.sent(LAYER) : stream.received(LAYER)).word("type", "FIN").emit();
    }

    /** {@code ← quic RESET_STREAM stream=0 code=3} or {@code → quic STOP_SENDING stream=0 code=0}. */
    static void abort(Trace stream, boolean sent, String type, Long code) {
        (sent ? stream.sent(LAYER) : stream.received(LAYER)).word("type", type).pair("code", code).emit();
    }

    /** {@code ← quic RESET_STREAM stream=0 code=3}, then our {@code → RESET_STREAM code=0} if we still sent. */
    static void reset(Trace stream, QuicStreamResetException reset, boolean resetBack) {
        abort(stream, false, "RESET_STREAM", reset.applicationProtocolCode());
        if (resetBack) {
            abort(stream, true, "RESET_STREAM", 0L);
        }
    }

    /** {@code · quic closed reason="quic: connection closed by remote (application error code 0x0)"}. */
    static void closed(Trace trace, String reason) {
        trace.local(LAYER).word("type", "closed").pair("reason", reason).emit();
    }
}
