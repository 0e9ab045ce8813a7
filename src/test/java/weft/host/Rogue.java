package weft.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import weft.connection.Connection;
import weft.connection.Upgrader;
import weft.crypto.PrivateKey;
import weft.multiformats.Multiaddr;
import weft.multistream.MultistreamSelect;
import weft.mux.yamux.Yamux;
import weft.mux.yamux.YamuxConfig;
import weft.security.SecureChannel;
import weft.security.SecureConnection;
import weft.security.noise.NoiseSecureChannel;
import weft.testing.FaultyConnection;

/**
 * A misbehaving peer for host fault tests, built from weft's own layers so that it gets exactly as far as a test
 * wants: a real upgrade over a {@link FaultyConnection} that stalls, closes or resets at a chosen write, or a
 * Noise-secured channel on which the test writes yamux frames by hand.
 */
final class Rogue {
    /** Writes of an outbound upgrade, in order: multistream + /noise, Noise message 1, Noise message 3, muxer. */
    static final int WRITES_MULTISTREAM = 0, WRITES_NOISE_1 = 1, WRITES_NOISE_3 = 2, WRITES_MUXER = 3;

    private Rogue() {}

    static int port(Host host) {
        return Integer.parseInt(host.addresses().get(0).valueOf("tcp").orElseThrow());
    }

    static Upgrader upgrader(PrivateKey key, boolean earlyMuxer, YamuxConfig yamux) {
        NoiseSecureChannel noise = new NoiseSecureChannel(key).withHandshakeTimeout(Duration.ofSeconds(30));
        if (earlyMuxer) {
            noise = noise.withMuxers(List.of(Yamux.PROTOCOL_ID));
        }
        return new Upgrader(List.<SecureChannel>of(noise), List.of(new Yamux(yamux)), Duration.ofSeconds(30));
    }

    /** A full, well-behaved upgrade to {@code host} over {@code raw}: a weft connection the test then abuses. */
    static Connection connect(Host host, FaultyConnection raw, YamuxConfig yamux) throws IOException {
        return upgrader(PrivateKey.generate(), true, yamux).upgradeOutbound(raw, host.peerId());
    }

    /** Multistream /noise and the Noise handshake (offering yamux inside it), nothing more: yamux is the test's. */
    static SecureConnection secure(Host host, FaultyConnection raw) throws IOException {
        MultistreamSelect.select(raw, NoiseSecureChannel.PROTOCOL_ID);
        SecureConnection secure = new NoiseSecureChannel(PrivateKey.generate())
                .withMuxers(List.of(Yamux.PROTOCOL_ID)).secureOutbound(raw, host.peerId());
        if (!secure.negotiatedMuxer().equals(java.util.Optional.of(Yamux.PROTOCOL_ID))) {
            throw new IllegalStateException("rogue: the host did not pick yamux in the handshake");
        }
        return secure;
    }

    static Multiaddr address(Host host) {
        return host.addresses().get(0);
    }

    // ---- yamux frames by hand (spec "Framing": version, type, flags, stream id, length; big endian)

    static final int DATA = 0, WINDOW_UPDATE = 1, PING = 2, GO_AWAY = 3;
    static final int SYN = 1, ACK = 2, FIN = 4, RST = 8;

    record Frame(int type, int flags, int streamId, int length) {}

    static void send(OutputStream out, int type, int flags, int streamId, int length, byte[] payload)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12 + (payload == null ? 0 : payload.length));
        b.put((byte) 0).put((byte) type).putShort((short) flags).putInt(streamId).putInt(length);
        if (payload != null) {
            b.put(payload);
        }
        out.write(b.array());
        out.flush();
    }

    /** The next frame header (its payload skipped), or null at end of stream. */
    static Frame read(InputStream in) throws IOException {
        byte[] h = in.readNBytes(12);
        if (h.length < 12) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        b.get();
        Frame f = new Frame(b.get(), b.getShort() & 0xffff, b.getInt(), b.getInt());
        if (f.type() == DATA) {
            in.skipNBytes(f.length());
        }
        return f;
    }

    /** Reads frames until one of {@code type} with {@code flag} set arrives; null if the stream ends first. */
    static Frame readUntil(InputStream in, int type, int flag) throws IOException {
        while (true) {
            Frame f = read(in);
            if (f == null || (f.type() == type && (f.flags() & flag) == flag)) {
                return f;
            }
        }
    }
}
