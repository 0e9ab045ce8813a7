package weft.security.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which ChaCha20-Poly1305 a machine gets when HotSpot hides its diagnostic {@code UsePoly1305Intrinsics} flag. */
class AeadChoiceTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'fpu sse2 avx2 adx sha_ni', false", // this guest: AVX2 only, the JDK's Poly1305 runs as Java
            "'avx2 avx512f avx512ifma avx512vl avx512bw', true", // Ice Lake, Sapphire Rapids, Zen 4: the intrinsic
            "'avx2 avx512f avx512vl avx512bw', false", // Skylake-SP: AVX-512 without IFMA
            "'avx2 avx_ifma', false", // AVX-IFMA only: JDK 21 does not use it
    })
    void theJdkCipherIsChosenOnlyWhereHotSpotHasItsPoly1305Intrinsic(String flags, boolean jdk) throws IOException {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"),
                "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: " + flags + "\nbogomips\t: 4890.85\n");
        assertEquals(jdk, Aead.cpuHasPoly1305Intrinsic(cpuinfo));
    }

    @ParameterizedTest
    @CsvSource({"'processor\t: 0\n'", "''"})
    void aCpuinfoWithoutFlagsOrNoFileMeansWeftsPoly1305(String text) throws IOException {
        assertEquals(false, Aead.cpuHasPoly1305Intrinsic(Files.writeString(dir.resolve("cpuinfo"), text)));
        assertEquals(false, Aead.cpuHasPoly1305Intrinsic(dir.resolve("missing")));
    }
}
