package weft.transport.webrtc;

import java.net.InetSocketAddress;
import java.util.List;
import weft.ProtocolViolationException;
import weft.multiformats.Multiaddr;
import weft.trace.Trace;
import weft.transport.webrtc.dtls.DtlsConnection;

/**
 * How a WebRTC-direct connection shows in the wire trace ({@link weft.trace}), layer by layer: the remote's first
 * verified ClientHello, the DTLS handshake's outcome, the SCTP association's start and end, each data channel's
 * DCEP messages (RFC 8832) and the libp2p {@link MessageFrame}s on it. The Noise handshake on channel 0 traces
 * itself. The listener, the remote's session and the data channels call these from one-line hooks behind
 * {@code trace.on()}.
 *
 * <pre>
 * +0.000ms c5 · connection inbound local=/ip4/127.0.0.1/udp/4001/webrtc-direct
 *     remote=/ip4/127.0.0.1/udp/53011/webrtc-direct                              (one line)
 * +9.310ms c5 · dtls secured version=DTLSv1.2 cipher=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 fingerprint=7D:E3:...
 * +9.800ms c5 · sctp association established
 * +31.20ms c5 ← dcep DATA_CHANNEL_OPEN stream=2 label=""
 * +31.30ms c5 → dcep DATA_CHANNEL_ACK stream=2
 * +31.40ms c5 ← webrtc Message stream=2 length=5
 * +31.50ms c5 ← webrtc Message FIN stream=2 length=0
 * +31.60ms c5 → webrtc Message FIN_ACK stream=2 length=0
 * +52.00ms c5 · sctp association closed reason="webrtc: connection closed"
 * </pre>
 *
 * Message frames with data and no flag are bulk: a {@linkplain weft.trace.TraceListener#summarizing summarizing}
 * listener counts them.
 */
final class WebRtcTrace {
    private WebRtcTrace() {}

    /** {@code · connection inbound local=... remote=...}: a remote's ClientHello passed the cookie check. */
    static void accepted(Trace trace, InetSocketAddress local, InetSocketAddress remote) {
        trace.local("connection").word("role", "inbound").pair("local", address(local))
                .pair("remote", address(remote)).emit();
    }

    private static Multiaddr address(InetSocketAddress socket) {
        return Multiaddr.fromSocketAddress(socket, "udp").encapsulate("/webrtc-direct");
    }

    /** {@code · dtls secured version=DTLSv1.2 cipher=... fingerprint=7D:E3:...}: the client certificate's hash. */
    static void dtls(Trace trace, DtlsConnection connection) {
        trace.local("dtls").word("message", "secured").pair("version", "DTLSv1.2")
                .pair("cipher", connection.cipherSuite()).pair("fingerprint", connection.remoteFingerprint().sdp())
                .emit();
    }

    /** {@code · sctp association established}, or {@code closed} with the reason. */
    static void association(Trace trace, String event, String reason) {
        trace.local("sctp").word("type", "association").word("event", event).pair("reason", reason).emit();
    }

    /** {@code ← dcep DATA_CHANNEL_OPEN stream=2 label=""} or {@code → dcep DATA_CHANNEL_ACK stream=2}. */
    static void dcep(Trace stream, boolean sent, byte[] message) {
        Trace.Builder event = sent ? stream.sent("dcep") : stream.received("dcep");
        int type = message.length > 0 ? message[0] & 0xff : -1;
        if (type == Dcep.OPEN) {
            String label;
            try {
                label = '"' + Dcep.decodeOpen(message).label() + '"';
            } catch (ProtocolViolationException e) {
                label = "(malformed)";
            }
            event.word("type", "DATA_CHANNEL_OPEN").pair("label", label);
        } else {
            event.word("type", type == Dcep.ACK ? "DATA_CHANNEL_ACK" : "type 0x" + Integer.toHexString(type));
        }
        event.emit();
    }

    /** {@code → webrtc Message FIN stream=2 length=0}, one event per frame of an encoded message. */
    static void frames(Trace stream, boolean sent, byte[] encoded) {
        List<MessageFrame> frames;
        try {
            frames = new MessageFrame.Decoder().feed(encoded);
        } catch (ProtocolViolationException e) {
            return; // the stream's own decoder reports and resets it
        }
        frames.forEach(f -> frame(stream, sent, f));
    }

    static void frame(Trace stream, boolean sent, MessageFrame frame) {
        int length = frame.message() == null ? 0 : frame.message().length;
        (sent ? stream.sent("webrtc") : stream.received("webrtc")).word("type", "Message")
                .word("flag", frame.flag() == null ? null : frame.flag().name()).pair("length", length)
                .bulk(frame.flag() == null ? length : -1).emit();
    }
}
