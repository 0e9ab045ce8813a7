package weft.security.noise;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;

/**
 * ChaCha20-Poly1305 (RFC 8439 §2.8) as a Noise {@link CipherState} uses it: a 32-byte key, then per message a
 * 64-bit nonce {@code n} expanded to "32 bits of zeros followed by little-endian encoding of n" (Noise spec rev 34
 * §12.4), sealing to ciphertext plus a 16-byte tag and opening the reverse.
 *
 * <p>Two implementations, the same bytes on the wire: {@link JdkChaChaPoly} (the JDK's {@code ChaCha20-Poly1305}
 * cipher) and {@link WeftChaChaPoly} (the JDK's {@code ChaCha20} stream cipher with weft's {@link Poly1305}).
 * {@link #create()} picks the JDK's where its Poly1305 runs as an intrinsic ({@code UsePoly1305Intrinsics}, CPUs
 * with AVX-512 IFMA), weft's elsewhere; the system property {@code weft.noise.aead} ({@code jdk} or {@code weft})
 * overrides the choice, for benchmarks comparing the two. Not thread-safe: one instance per direction.
 */
sealed interface Aead permits JdkChaChaPoly, WeftChaChaPoly {
    int KEY_LENGTH = 32;
    int TAG_LENGTH = 16;

    /** Sets the key (32 bytes at {@code key[off]}, copied). */
    void init(byte[] key, int off);

    /** Seals {@code len} bytes into {@code out} as ciphertext and tag; returns {@code len + 16}. */
    int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Seals the plaintext {@code in1[off1, off1+len1) || in2[off2, off2+len2)} into {@code out} as one message, the
     * same bytes as {@link #seal(long, byte[], byte[], int, int, byte[], int)} of the concatenation, without copying
     * either part: the cipher runs over both parts in turn into contiguous {@code out}, and the tag covers that
     * contiguous ciphertext. Returns {@code len1 + len2 + 16}. {@code out} must not overlap either input.
     */
    int seal(long nonce, byte[] ad, byte[] in1, int off1, int len1, byte[] in2, int off2, int len2, byte[] out,
            int outOff);

    /**
     * Checks the tag of {@code len} bytes (ciphertext and tag) and decrypts them into {@code out}; returns
     * {@code len - 16}. Writes nothing to {@code out} when the tag does not match.
     *
     * @throws AEADBadTagException when the tag does not match
     */
    int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) throws AEADBadTagException;

    /** Forgets the key, as far as the implementation allows. */
    void destroy();

    /** The implementation for this machine (see the type's documentation), chosen once per process. */
    static Aead create() {
        return AeadChoice.JDK ? new JdkChaChaPoly() : new WeftChaChaPoly();
    }

    /**
     * Whether the JDK's cipher is the one to use. Asked once ({@link AeadChoice}): the VM-option lookup costs about
     * 15-20 microseconds, and where the option is not visible it throws, three times per Noise handshake otherwise.
     */
    static boolean useJdk() {
        String choice = System.getProperty("weft.noise.aead", "");
        if (choice.equals("jdk") || choice.equals("weft")) {
            return choice.equals("jdk");
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm != null && Boolean.parseBoolean(vm.getVMOption("UsePoly1305Intrinsics").getValue());
        } catch (IllegalArgumentException e) {
            // a diagnostic flag, visible only with -XX:+UnlockDiagnosticVMOptions: ask the CPU what HotSpot would
            return cpuHasPoly1305Intrinsic(Path.of("/proc/cpuinfo"));
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot: weft's Poly1305 is the safe choice
        }
    }

    /**
     * Whether HotSpot turns its Poly1305 intrinsic on for this CPU, read from a Linux {@code cpuinfo} file: it needs
     * AVX-512 IFMA with AVX-512 VL and BW ({@code VM_Version::initialize}, {@code vm_version_x86.cpp} of JDK 21).
     * False where the file is missing (other systems): weft's Poly1305, faster than the JDK's generic Java one.
     */
    static boolean cpuHasPoly1305Intrinsic(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(line -> line.startsWith("flags")).findFirst()
                    .map(line -> List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                    .map(flags -> flags.containsAll(List.of("avx512ifma", "avx512vl", "avx512bw")))
                    .orElse(false);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** The 12-byte RFC 8439 nonce for Noise's {@code n}: four zero bytes, then {@code n} little-endian. */
    static void nonceBytes(long n, byte[] into) {
        for (int i = 0; i < 8; i++) {
            into[4 + i] = (byte) (n >>> (8 * i));
        }
    }
}

/** {@link Aead#useJdk()}, decided when the first cipher is made. */
final class AeadChoice {
    static final boolean JDK = Aead.useJdk();

    private AeadChoice() {}
}
