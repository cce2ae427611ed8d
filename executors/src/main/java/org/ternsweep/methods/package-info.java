/**
 * Quantization methods (spec §4): each takes a float model, the cell's operator, granularity and
 * seed, and returns a quantized, BN-folded network. {@link org.ternsweep.methods.QuantPlan} decides
 * the scheme of every layer ({@code first_last}) and fits the operator; the methods decide how the
 * codes are chosen (data-free rounding, AdaRound, BrecQ, QAT).
 */
package org.ternsweep.methods;
