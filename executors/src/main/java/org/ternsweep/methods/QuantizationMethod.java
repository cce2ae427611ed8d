package org.ternsweep.methods;

/**
 * A quantization method of spec §4. Implementations are stateless; everything a cell needs comes in
 * its {@link MethodInput}, so one instance can serve every cell of an executor JVM.
 */
public interface QuantizationMethod {
    /** The method's catalog name, e.g. {@code data-free}. */
    String name();

    /** Quantizes a copy of the float network; never modifies the input network. */
    MethodOutcome quantize(MethodInput input);
}
