package org.ternsweep.methods;

/**
 * A quantization method of spec §4. Implementations are immutable: created with their typed options (by the
 * registry, {@link org.ternsweep.runner.Registry#method}), they take everything else a cell needs from its
 * {@link MethodInput}, so one instance can serve every cell with the same options.
 */
public interface QuantizationMethod {
    /** The method's catalog name, e.g. {@code data-free}. */
    String name();

    /** Quantizes a copy of the float network; never modifies the input network. */
    MethodOutcome quantize(MethodInput input);
}
