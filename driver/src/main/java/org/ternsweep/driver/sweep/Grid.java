package org.ternsweep.driver.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ternsweep.core.CellSpec;

/**
 * Expands a {@link Sweep} into its cells: the outer product of the axes in a fixed order (JMH's
 * declared {@code @Param} grid), outermost first: models, methods, operators, granularities, model seeds,
 * seeds (an imported network has one model seed, 0: nothing is trained). Seeds are innermost so that the cells of one configuration are adjacent in the plan. Cells with
 * the same cellId (e.g. an operator listed twice, or once with its default options spelled out) are
 * kept once, at their first position.
 */
public final class Grid {
    private Grid() {
    }

    /** The cells of the sweep, de-duplicated by cellId, in grid order. */
    public static List<CellSpec> expand(Sweep s) {
        Map<String, CellSpec> cells = new LinkedHashMap<>();
        for (ModelEntry model : s.models()) {
            // an imported network is its own float baseline: no recipe, no model seed
            Map<String, Object> recipe = model.imported() ? Map.of() : s.recipe();
            List<Long> modelSeeds = model.imported() ? List.of(0L) : s.modelSeeds();
            for (ComponentEntry method : s.methods()) {
                for (ComponentEntry operator : s.operators()) {
                    for (String granularity : s.granularities()) {
                        for (long modelSeed : modelSeeds) {
                            for (long seed : s.seeds()) {
                                CellSpec c = new CellSpec(s.dataset(), model.name(), recipe, modelSeed,
                                        operator.name(), operator.options(), granularity, s.firstLast(), method.name(),
                                        method.options(), seed, s.evaluation(), model.source(), s.datasetSource());
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
        long models = 0;
        for (ModelEntry m : s.models()) {
            models += m.imported() ? 1 : s.modelSeeds().size();
        }
        return models * s.methods().size() * s.operators().size() * s.granularities().size() * s.seeds().size();
    }
}
