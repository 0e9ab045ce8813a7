package weft.security.noise;

import javax.crypto.AEADBadTagException;

/**
 * Bench-only door to weft's package-private Noise ciphers ({@link Aead}): the JDK's ChaCha20-Poly1305
 * ({@code jdk}), the JDK's ChaCha20 with weft's Poly1305 ({@code weft}), or what {@link CipherState} picks on this
 * machine ({@code default}). Lives in the bench build only, in weft's package, so weft needs no public API for it.
 */
public final class BenchCipher {
    private final Aead aead;

    private BenchCipher(Aead aead) {
        this.aead = aead;
    }

    /** {@code jdk}, {@code weft} or {@code default}, keyed with {@code key} (32 bytes). */
    public static BenchCipher of(String kind, byte[] key) {
        Aead aead = switch (kind) {
            case "jdk" -> new JdkChaChaPoly();
            case "weft" -> new WeftChaChaPoly();
            case "default" -> Aead.create();
            default -> throw new IllegalArgumentException("bench: cipher jdk, weft or default, not " + kind);
        };
        aead.init(key, 0);
        return new BenchCipher(aead);
    }

    /** Which implementation {@link CipherState} uses in this JVM: {@code jdk} or {@code weft}. */
    public static String defaultKind() {
        return Aead.create() instanceof JdkChaChaPoly ? "jdk" : "weft";
    }

    public int seal(long nonce, byte[] in, int inOff, int len, byte[] out, int outOff) {
        return aead.seal(nonce, null, in, inOff, len, out, outOff);
    }

    public int open(long nonce, byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException {
        return aead.open(nonce, null, in, inOff, len, out, outOff);
    }
}
