package org.ternsweep.results.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;

/**
 * An operator with its resolved options: one column of a table and one side of a comparison. Two
 * settings of the same operator (e.g. mquant with level=mean and level=median) are different columns.
 *
 * @param options the options as canonical JSON, as the cell rows store them: {@code {}} for an operator
 *                without options (null and "" mean the same and become {@code {}}), so that summary and
 *                comparison rows join the cell rows on (operator, operator_options)
 */
public record OperatorKey(String operator, String options) implements Comparable<OperatorKey> {

    private static final Comparator<OperatorKey> ORDER =
            Comparator.comparing(OperatorKey::operator).thenComparing(OperatorKey::options);

    public OperatorKey {
        Objects.requireNonNull(operator, "operator");
        options = CellRow.options(options);
    }

    @Override
    public int compareTo(OperatorKey o) {
        return ORDER.compare(this, o);
    }

    /**
     * The column heading: the operator's name, with its options only where {@code all} holds another
     * setting of the same operator.
     */
    public String label(Collection<OperatorKey> all) {
        boolean ambiguous = all.stream().anyMatch(k -> k.operator.equals(operator) && !k.equals(this));
        return ambiguous ? operator + " " + options : operator;
    }
}
