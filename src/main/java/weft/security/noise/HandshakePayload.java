package weft.security.noise;

import java.util.ArrayList;
import java.util.List;
import weft.io.ProtobufException;
import weft.io.ProtobufReader;
import weft.io.ProtobufWriter;
import weft.security.HandshakeException;

/**
 * The payload of Noise messages 2 and 3: who the sender is and what it supports (libp2p noise spec, "The libp2p
 * Handshake Payload", proto2 since r3):
 *
 * <pre>
 * message NoiseExtensions {
 *     repeated bytes webtransport_certhashes = 1;
 *     repeated string stream_muxers = 2;
 * }
 * message NoiseHandshakePayload {
 *     optional bytes identity_key = 1;        // the sender's PublicKey protobuf (peer-ids spec)
 *     optional bytes identity_sig = 2;        // sign("noise-libp2p-static-key:" || static X25519 key)
 *     optional NoiseExtensions extensions = 4;
 * }
 * </pre>
 *
 * Unknown fields are skipped, as protobuf requires ("extension code points > 1024 are experimental"); a repeated
 * optional field keeps its last value. Encoded fields are in tag order; {@code extensions} is left out when it
 * would be empty, and so is a null (absent) optional field.
 *
 * @param identityKey the serialized identity {@code PublicKey}, or null when absent
 * @param identitySignature the signature over the static key, or null when absent
 * @param webtransportCerthashes certificate hashes (WebTransport only; weft sends none)
 * @param muxers stream muxer protocol ids for early negotiation, most preferred first
 */
record HandshakePayload(byte[] identityKey, byte[] identitySignature, List<byte[]> webtransportCerthashes,
        List<String> muxers) {

    byte[] encode() {
        ProtobufWriter payload = new ProtobufWriter();
        if (identityKey != null) {
            payload.bytes(1, identityKey);
        }
        if (identitySignature != null) {
            payload.bytes(2, identitySignature);
        }
        if (!webtransportCerthashes.isEmpty() || !muxers.isEmpty()) {
            ProtobufWriter extensions = new ProtobufWriter();
            for (byte[] hash : webtransportCerthashes) {
                extensions.bytes(1, hash);
            }
            for (String muxer : muxers) {
                extensions.string(2, muxer);
            }
            payload.message(4, extensions);
        }
        return payload.toByteArray();
    }

    /** Decodes a remote's payload; anything that is not a valid protobuf message is a {@link HandshakeException}. */
    static HandshakePayload decode(byte[] bytes) throws HandshakeException {
        byte[] identityKey = null;
        byte[] identitySignature = null;
        List<byte[]> certhashes = new ArrayList<>();
        List<String> muxers = new ArrayList<>();
        try {
            ProtobufReader in = new ProtobufReader(bytes);
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> identityKey = in.readBytes();
                    case 2 -> identitySignature = in.readBytes();
                    case 4 -> {
                        ProtobufReader extensions = in.readMessage();
                        while (extensions.next()) {
                            switch (extensions.field()) {
                                case 1 -> certhashes.add(extensions.readBytes());
                                case 2 -> muxers.add(extensions.readString());
                                default -> extensions.skip();
                            }
                        }
                    }
                    default -> in.skip();
                }
            }
        } catch (ProtobufException e) {
            throw new HandshakeException("noise: malformed handshake payload (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
        return new HandshakePayload(identityKey, identitySignature, List.copyOf(certhashes), List.copyOf(muxers));
    }
}
