package org.ternsweep.driver.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ternsweep.core.CellSpec;

/**
 * Expands a {@link Sweep} into its cells: the outer product of the axes in a fixed order (JMH's
 * declared {@code @Param} grid), outermost first: models, methods, operators, granularities, model seeds,
 * seeds. Seeds are innermost so that the cells of one configuration are adjacent in the plan. Cells with
 * the same cellId (e.g. an operator listed twice, or once with its default options spelled out) are
 * kept once, at their first position.
 */
public final class Grid {
    private Grid() {
    }

    /** The cells of the sweep, de-duplicated by cellId, in grid order. */
    public static List<CellSpec> expand(Sweep s) {
        Map<String, CellSpec> cells = new LinkedHashMap<>();
        for (String model : s.models()) {
            for (ComponentEntry method : s.methods()) {
                for (ComponentEntry operator : s.operators()) {
                    for (String granularity : s.granularities()) {
                        for (long modelSeed : s.modelSeeds()) {
                            for (long seed : s.seeds()) {
                                CellSpec c = new CellSpec(s.dataset(), model, s.recipe(), modelSeed, operator.name(),
                                        operator.options(), granularity, s.firstLast(), method.name(),
                                        method.options(), seed, s.evaluation());
                                cells.putIfAbsent(c.cellId(), c);
                            }
                        }
                    }
                }
            }
        }
        return new ArrayList<>(cells.values());
    }

    /** The size of the outer product before de-duplication (for the plan line). */
    public static long product(Sweep s) {
        return (long) s.models().size() * s.methods().size() * s.operators().size() * s.granularities().size()
                * s.modelSeeds().size() * s.seeds().size();
    }
}
