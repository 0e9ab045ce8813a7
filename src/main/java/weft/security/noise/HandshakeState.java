package weft.security.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;
import weft.ProtocolViolationException;
import weft.security.HandshakeException;

/**
 * The Noise {@code HandshakeState} for exactly one pattern, XX (Noise spec rev 34, §7.5), with X25519 (§12.1):
 *
 * <pre>
 *   XX:
 *     -&gt; e
 *     &lt;- e, ee, s, es
 *     -&gt; s, se
 * </pre>
 *
 * Each message is written out as straight-line code below rather than interpreted from token lists: the pattern is
 * fixed by the libp2p Noise spec ("The XX handshake pattern ... is the only pattern supported"), so the three
 * messages read next to the spec. Message sizes with a payload of {@code p} bytes: 32 + p; 32 + 48 + p + 16;
 * 48 + p + 16.
 *
 * <p>X25519 is Bouncy Castle's low-level {@code rfc7748.X25519}: 1.7 times faster than the JDK's {@code KeyAgreement}
 * for a DH and 4.7 times for a key pair here ({@code jvm-limits.md} §2a, §2c). A DH that yields all zeros (the
 * remote sent a low-order point) fails the handshake, as go's {@code curve25519.X25519} does.
 *
 * <p>Not thread-safe; used by one handshake on one thread.
 */
final class HandshakeState {
    /** X25519 key and DH output length, the spec's {@code DHLEN}. */
    static final int DH_LENGTH = 32;
    /** An encrypted static key: 32 bytes and the 16-byte tag. */
    static final int ENCRYPTED_KEY_LENGTH = DH_LENGTH + CipherState.TAG_LENGTH;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean initiator;
    private final SymmetricState symmetric = new SymmetricState();
    private final byte[] staticPrivate;
    private final byte[] staticPublic;
    private final byte[] ephemeralPrivate;
    private final byte[] ephemeralPublic;
    private byte[] remoteEphemeral;
    private byte[] remoteStatic;
    private int step; // 0, 1, 2: the next message; 3 when the handshake is done

    /**
     * {@code Initialize(handshake_pattern=XX, initiator, prologue, s, e=empty, rs=empty, re=empty)}. The local
     * ephemeral key is generated here; tests pass one to reproduce the test vectors.
     */
    HandshakeState(boolean initiator, byte[] prologue, byte[] staticPrivate, byte[] ephemeralPrivate) {
        this.initiator = initiator;
        this.staticPrivate = staticPrivate.clone();
        this.staticPublic = publicKey(staticPrivate);
        if (ephemeralPrivate == null) {
            ephemeralPrivate = new byte[DH_LENGTH];
            X25519.generatePrivateKey(RANDOM, ephemeralPrivate);
        }
        this.ephemeralPrivate = ephemeralPrivate.clone();
        this.ephemeralPublic = publicKey(ephemeralPrivate);
        symmetric.mixHash(prologue);
    }

    HandshakeState(boolean initiator, byte[] prologue, byte[] staticPrivate) {
        this(initiator, prologue, staticPrivate, null);
    }

    /** A fresh X25519 private key (clamping happens in every use, RFC 7748 §5). */
    static byte[] generatePrivateKey() {
        byte[] key = new byte[DH_LENGTH];
        X25519.generatePrivateKey(RANDOM, key);
        return key;
    }

    static byte[] publicKey(byte[] privateKey) {
        byte[] pub = new byte[DH_LENGTH];
        X25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    /** True when this side writes the next message: the initiator writes messages 0 and 2, the responder 1. */
    boolean isMyTurn() {
        return step < 3 && (step == 1) != initiator;
    }

    boolean isComplete() {
        return step == 3;
    }

    /** {@code WriteMessage(payload, message_buffer)}: the next handshake message carrying {@code payload}. */
    byte[] writeMessage(byte[] payload) throws HandshakeException {
        if (!isMyTurn()) {
            throw new IllegalStateException("noise: not our turn to write (message " + step + ")");
        }
        try {
            byte[] message = switch (step) {
                case 0 -> concat(
                        writeEphemeral(),                                    // -> e
                        symmetric.encryptAndHash(payload));
                case 1 -> {
                    byte[] e = writeEphemeral();                             // <- e
                    symmetric.mixKey(dh(ephemeralPrivate, remoteEphemeral)); //    ee
                    byte[] s = symmetric.encryptAndHash(staticPublic);       //    s
                    symmetric.mixKey(dh(staticPrivate, remoteEphemeral));    //    es (responder: DH(s, re))
                    yield concat(e, s, symmetric.encryptAndHash(payload));
                }
                default -> {
                    byte[] s = symmetric.encryptAndHash(staticPublic);       // -> s
                    symmetric.mixKey(dh(staticPrivate, remoteEphemeral));    //    se (initiator: DH(s, re))
                    yield concat(s, symmetric.encryptAndHash(payload));
                }
            };
            step++;
            return message;
        } catch (ProtocolViolationException | NonceExhaustedException e) {
            throw new HandshakeException(
                    "noise: handshake message " + (step + 1) + " not written: " + e.getMessage(), e);
        }
    }

    /**
     * {@code ReadMessage(message, payload_buffer)}: processes the remote's next handshake message and returns its
     * decrypted payload. Any malformed or unauthentic message throws {@link HandshakeException}.
     */
    byte[] readMessage(byte[] message) throws HandshakeException {
        if (isMyTurn() || isComplete()) {
            throw new IllegalStateException("noise: not our turn to read (message " + step + ")");
        }
        int expected = switch (step) {
            case 0 -> DH_LENGTH;
            case 1 -> DH_LENGTH + ENCRYPTED_KEY_LENGTH + CipherState.TAG_LENGTH;
            default -> ENCRYPTED_KEY_LENGTH + CipherState.TAG_LENGTH;
        };
        if (message.length < expected) {
            throw new HandshakeException("noise: handshake message " + (step + 1) + " too short ("
                    + message.length + " < " + expected + " bytes)");
        }
        try {
            byte[] payload;
            switch (step) {
                case 0 -> {
                    remoteEphemeral = readEphemeral(message);                        // -> e
                    payload = symmetric.decryptAndHash(message, DH_LENGTH, message.length - DH_LENGTH);
                }
                case 1 -> {
                    remoteEphemeral = readEphemeral(message);                        // <- e
                    symmetric.mixKey(dh(ephemeralPrivate, remoteEphemeral));         //    ee
                    remoteStatic = symmetric.decryptAndHash(message, DH_LENGTH, ENCRYPTED_KEY_LENGTH); // s
                    symmetric.mixKey(dh(ephemeralPrivate, remoteStatic));            //    es (initiator: DH(e, rs))
                    int off = DH_LENGTH + ENCRYPTED_KEY_LENGTH;
                    payload = symmetric.decryptAndHash(message, off, message.length - off);
                }
                default -> {
                    remoteStatic = symmetric.decryptAndHash(message, 0, ENCRYPTED_KEY_LENGTH); // -> s
                    symmetric.mixKey(dh(ephemeralPrivate, remoteStatic));            //    se (responder: DH(e, rs))
                    payload = symmetric.decryptAndHash(
                            message, ENCRYPTED_KEY_LENGTH, message.length - ENCRYPTED_KEY_LENGTH);
                }
            }
            step++;
            return payload;
        } catch (ProtocolViolationException | NonceExhaustedException e) {
            throw new HandshakeException("noise: handshake message " + (step + 1) + " rejected: " + e.getMessage(), e);
        }
    }

    /**
     * {@code Split()}, called after the last message: the initiator sends with the first cipher state and receives
     * with the second; the responder the other way round (go-libp2p {@code handshake.go setCipherStates}).
     */
    CipherState[] split() {
        if (!isComplete()) {
            throw new IllegalStateException("noise: split before the handshake completed (message " + step + ")");
        }
        Arrays.fill(ephemeralPrivate, (byte) 0);
        Arrays.fill(staticPrivate, (byte) 0);
        return symmetric.split();
    }

    byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    /** The remote's static X25519 public key, once received (message 2 for the initiator, 3 for the responder). */
    byte[] remoteStaticKey() {
        return remoteStatic == null ? null : remoteStatic.clone();
    }

    byte[] localStaticKey() {
        return staticPublic.clone();
    }

    /**
     * Token {@code e} when writing: "Sets e = GENERATE_KEYPAIR(). Appends e.public_key to the buffer. Calls
     * MixHash(e.public_key)." (The key pair was made in the constructor.)
     */
    private byte[] writeEphemeral() {
        symmetric.mixHash(ephemeralPublic);
        return ephemeralPublic.clone();
    }

    /**
     * Token {@code e} when reading: "Sets re to the next DHLEN bytes from the message.
     * Calls MixHash(re.public_key)."
     */
    private byte[] readEphemeral(byte[] message) {
        byte[] re = Arrays.copyOfRange(message, 0, DH_LENGTH);
        symmetric.mixHash(re);
        return re;
    }

    private static byte[] dh(byte[] privateKey, byte[] publicKey) throws ProtocolViolationException {
        byte[] shared = new byte[DH_LENGTH];
        if (!X25519.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0)) {
            throw new ProtocolViolationException("noise: remote X25519 key is a low-order point (all-zero DH)");
        }
        return shared;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
