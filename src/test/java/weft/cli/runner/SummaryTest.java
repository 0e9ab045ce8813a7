package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
    /**
     * The upload example of unified-testing docs/write-a-perf-test-app.md gives the doc's numbers. The doc prints the
     * median 2.055 as 2.06; the double nearest 2.055 lies just below it, so it prints as 2.05 here, as in the go
     * reference app (Go's %.2f rounds the binary value too).
     */
    @Test
    void theDocsUploadExampleGivesTheDocsNumbers() {
        double[] samples = {2.06, 2.02, 2.05, 2.07, 2.05, 2.06, 2.04, 2.06, 2.05, 2.06};
        Summary s = Summary.of(samples);
        assertEquals(2.04, s.min());
        assertEquals(2.05, s.q1(), 1e-12);
        assertEquals(2.055, s.median(), 1e-12);
        assertEquals(2.06, s.q3(), 1e-12);
        assertEquals(2.07, s.max());
        assertEquals(List.of(2.02), s.outliers());
        assertEquals("""
                upload:
                  iterations: 10
                  min: 2.04
                  q1: 2.05
                  median: 2.05
                  q3: 2.06
                  max: 2.07
                  outliers: [2.02]
                  samples: [2.02, 2.04, 2.05, 2.05, 2.05, 2.06, 2.06, 2.06, 2.06, 2.07]
                  unit: Gbps
                """, s.yaml("upload", 2, "Gbps"));
    }

    @Test
    void percentilesInterpolateBetweenClosestRanks() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(1.75, Summary.percentile(sorted, 25), 1e-12);
        assertEquals(2.5, Summary.percentile(sorted, 50), 1e-12);
        assertEquals(3.25, Summary.percentile(sorted, 75), 1e-12);
        assertEquals(4, Summary.percentile(sorted, 100), 1e-12);
    }

    @Test
    void minAndMaxLeaveOutliersOut() {
        Summary s = Summary.of(new double[] {10, 11, 12, 13, 14, 100});
        assertEquals(List.of(100.0), s.outliers());
        assertEquals(10, s.min());
        assertEquals(14, s.max());
        assertEquals(6, s.samples().size());
    }

    @Test
    void oneSampleIsItsOwnSummary() {
        Summary s = Summary.of(new double[] {0.5});
        assertEquals(new Summary(0.5, 0.5, 0.5, 0.5, 0.5, List.of(), List.of(0.5)), s);
        assertEquals("""
                latency:
                  iterations: 1
                  min: 0.500
                  q1: 0.500
                  median: 0.500
                  q3: 0.500
                  max: 0.500
                  outliers: []
                  samples: [0.500]
                  unit: ms
                """, s.yaml("latency", 3, "ms"));
    }

    @Test
    void noSamplesIsACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> Summary.of(new double[0]));
    }
}
