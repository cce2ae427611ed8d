package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.catalog.Catalog;

class GroupLayoutTest {

    @Test
    void granularityNamesAreTheCatalogs() {
        for (String name : Catalog.GRANULARITIES) {
            assertEquals(name, Granularity.fromName(name).label());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Granularity.fromName("per-row"));
        assertTrue(e.getMessage().contains("per-row") && e.getMessage().contains("per-tensor, per-channel"));
    }

    @Test
    void convGroupsAreOutputChannelsOnAxisZero() {
        GroupLayout l = GroupLayout.of(new long[] {3, 2, 2, 2}, Granularity.PER_CHANNEL, 0);
        assertEquals(3, l.groups());
        assertEquals(8, l.groupSize());
        assertEquals(0, l.groupOf(7));
        assertEquals(1, l.groupOf(8));
        assertEquals(2, l.groupOf(23));
    }

    @Test
    void denseGroupsAreColumnsOnAxisOne() {
        GroupLayout l = GroupLayout.of(new long[] {3, 2}, Granularity.PER_CHANNEL, 1);
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, l.groupIndex());
        double[][] split = l.split(new double[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new double[] {1, 3, 5}, split[0]);
        assertArrayEquals(new double[] {2, 4, 6}, split[1]);
    }

    @Test
    void perTensorIsOneGroupWhateverTheAxis() {
        GroupLayout l = GroupLayout.of(new long[] {3, 2}, Granularity.PER_TENSOR, 7);
        assertEquals(1, l.groups());
        assertEquals(6, l.groupSize());
    }

    @Test
    void fitsFollowTheLogicalLayoutWhateverTheMemoryOrder() {
        double[][] rows = {{1, -8}, {0.5, 2}, {-0.25, 1}};
        TernaryOperator op = new NativeOperator();
        TernaryFit c = op.fit(Nd4j.create(rows).dup('c'), Granularity.PER_CHANNEL, 1);
        TernaryFit f = op.fit(Nd4j.create(rows).dup('f'), Granularity.PER_CHANNEL, 1);
        assertEquals(c, f);
        assertArrayEquals(new double[] {1, 8}, c.lambda());
        assertArrayEquals(TestTensors.values(op.quantize(Nd4j.create(rows).dup('c'), c)),
                TestTensors.values(op.quantize(Nd4j.create(rows).dup('f'), f)));
    }

    @Test
    void badShapesAndAxesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GroupLayout.of(new long[] {3, 2}, Granularity.PER_CHANNEL, 2));
        assertThrows(IllegalArgumentException.class, () -> GroupLayout.of(new long[] {3, 2}, Granularity.PER_CHANNEL, -1));
        assertThrows(IllegalArgumentException.class, () -> new GroupLayout(new long[] {3, 0}, -1));
        assertThrows(IllegalArgumentException.class, () -> new GroupLayout(new long[] {}, -1));
    }

    @Test
    void aFitOnlyAppliesToTheTensorItWasMadeFor() {
        TernaryOperator op = new TQuantOperator();
        TernaryFit fit = op.fit(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}), Granularity.PER_CHANNEL, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> op.quantize(Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0), fit));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("fit the operator"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TernaryFit.symmetric(fit.layout(), new double[] {1}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> TernaryFit.symmetric(fit.layout(), new double[] {1, Double.NaN}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> TernaryFit.symmetric(fit.layout(), new double[] {1, -1}, new double[] {1, 1}));
    }

    @Test
    void nonFiniteWeightsAreRejectedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MQuantOperator().fit(Nd4j.createFromArray(1.0, Double.NaN), Granularity.PER_TENSOR, 0));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("retrain"), e.getMessage());
    }
}
