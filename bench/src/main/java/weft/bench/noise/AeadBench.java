package weft.bench.noise;

import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import weft.security.noise.BenchCipher;

/**
 * Sealing and opening one Noise transport message with ChaCha20-Poly1305, three ways: the JDK's {@code Cipher}
 * ({@code jdk*}), weft's {@code WeftChaChaPoly} (the JDK's ChaCha20 with weft's Poly1305, {@code weft*}; what
 * {@code weft.security.noise.CipherState} uses where the JDK's Poly1305 intrinsic is off) and Bouncy Castle's
 * low-level {@code ChaCha20Poly1305} ({@code bc*}), for a tiny message (64 B), a typical yamux batch (4 KiB) and the
 * largest Noise plaintext (65519 B).
 *
 * <p>Each call does what a Noise cipher state does per message: a fresh 96-bit nonce (4 zero bytes, then a
 * little-endian counter), an {@code init} on a cached cipher, then one {@code doFinal} into a preallocated array, with
 * empty associated data. Decryption opens the same message under the same nonce every time (both libraries allow
 * re-initialising a decryption with a used nonce; neither allows it for encryption).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AeadBench {
    @Param({"64", "4096", "65519"})
    int size;

    private final byte[] key = new byte[32];
    private final byte[] nonce = new byte[12];
    private byte[] plaintext;
    private byte[] ciphertext;
    private byte[] out;
    private long counter;

    private Cipher jdk;
    private SecretKeySpec jdkKey;
    private BenchCipher weft;
    private ChaCha20Poly1305 bc;
    private KeyParameter bcKey;

    @Setup
    public void setup() throws GeneralSecurityException {
        Random random = new Random(1);
        random.nextBytes(key);
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        out = new byte[size + 16];
        jdk = Cipher.getInstance("ChaCha20-Poly1305");
        jdkKey = new SecretKeySpec(key, "ChaCha20");
        weft = BenchCipher.of("weft", key);
        bc = new ChaCha20Poly1305();
        bcKey = new KeyParameter(key);
        // the message the decryption benchmarks open: sealed under nonce 0
        jdk.init(Cipher.ENCRYPT_MODE, jdkKey, new IvParameterSpec(new byte[12]));
        ciphertext = jdk.doFinal(plaintext);
        counter = 1; // nonce 0 is used; the encryption benchmarks go on from 1
    }

    private byte[] nextNonce() {
        long n = counter++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        return nonce;
    }

    @Benchmark
    public int jdkEncrypt() throws GeneralSecurityException {
        jdk.init(Cipher.ENCRYPT_MODE, jdkKey, new IvParameterSpec(nextNonce()));
        return jdk.doFinal(plaintext, 0, size, out, 0);
    }

    @Benchmark
    public int jdkDecrypt() throws GeneralSecurityException {
        jdk.init(Cipher.DECRYPT_MODE, jdkKey, new IvParameterSpec(new byte[12]));
        return jdk.doFinal(ciphertext, 0, ciphertext.length, out, 0);
    }

    @Benchmark
    public int weftEncrypt() {
        return weft.seal(counter++, plaintext, 0, size, out, 0);
    }

    @Benchmark
    public int weftDecrypt() throws javax.crypto.AEADBadTagException {
        return weft.open(0, ciphertext, 0, ciphertext.length, out, 0);
    }

    @Benchmark
    public int bcEncrypt() throws InvalidCipherTextException {
        bc.init(true, new AEADParameters(bcKey, 128, nextNonce()));
        int n = bc.processBytes(plaintext, 0, size, out, 0);
        return n + bc.doFinal(out, n);
    }

    @Benchmark
    public int bcDecrypt() throws InvalidCipherTextException {
        bc.init(false, new AEADParameters(bcKey, 128, new byte[12]));
        int n = bc.processBytes(ciphertext, 0, ciphertext.length, out, 0);
        return n + bc.doFinal(out, n);
    }
}
