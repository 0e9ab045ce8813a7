package weft.transport.webrtc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Noise prologue that binds the libp2p handshake to the DTLS connection under it.
 *
 * <p>webrtc-direct.md, Connection Security: "_A_ and _B_ set the Noise _Prologue_ to
 * {@code <PREFIX><FINGERPRINT_A><FINGERPRINT_B>} [...] {@code <PREFIX>} is the UTF-8 byte representation of the
 * string {@code libp2p-webrtc-noise:}. {@code <FINGERPRINT_A><FINGERPRINT_B>} is the concatenation of the two TLS
 * fingerprints of _A_ (Noise handshake responder) and then _B_ (Noise handshake initiator), in their multihash
 * byte representation." A is the dialing client (the browser), B the listening server (weft).
 */
final class NoisePrologue {
    static final byte[] PREFIX = "libp2p-webrtc-noise:".getBytes(StandardCharsets.UTF_8);

    private NoisePrologue() {
    }

    /** The prologue for a connection from {@code client} (A, Noise responder) to {@code server} (B, initiator). */
    static byte[] of(Fingerprint client, Fingerprint server) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(PREFIX.length + 68);
        out.writeBytes(PREFIX);
        out.writeBytes(client.multihash());
        out.writeBytes(server.multihash());
        return out.toByteArray();
    }
}
