package weft.cli.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;

class SummaryProperties {
    @Property(tries = 500)
    void quartilesAreOrderedAndOutliersLieOutsideTheFences(
            @ForAll @Size(min = 1, max = 120) List<@DoubleRange(min = 0.01, max = 1e4) @Scale(4) Double> values) {
        double[] samples = values.stream().mapToDouble(Double::doubleValue).toArray();
        Summary s = Summary.of(samples);

        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        assertEquals(sorted, s.samples(), "every sample, sorted");
        assertTrue(s.q1() <= s.median() && s.median() <= s.q3(), s.toString());
        assertTrue(sorted.get(0) <= s.q1() && s.q3() <= sorted.get(sorted.size() - 1), s.toString());

        double iqr = s.q3() - s.q1();
        List<Double> inside = new ArrayList<>();
        for (double v : sorted) {
            boolean outlier = v < s.q1() - 1.5 * iqr || v > s.q3() + 1.5 * iqr;
            assertEquals(outlier, s.outliers().contains(v), v + " in " + s);
            if (!outlier) {
                inside.add(v);
            }
        }
        assertTrue(!inside.isEmpty(), "the quartiles lie inside the fences, so some samples do: " + s);
        assertEquals(inside.get(0), s.min());
        assertEquals(inside.get(inside.size() - 1), s.max());
    }
}
