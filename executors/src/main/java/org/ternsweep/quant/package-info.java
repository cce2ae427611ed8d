/**
 * Weight quantizers of spec §1–§3 (docs/spec.md) and the per-layer diagnostics of spec §6.
 *
 * <p>The ternary operators ({@link org.ternsweep.quant.NativeOperator},
 * {@link org.ternsweep.quant.TQuantOperator}, {@link org.ternsweep.quant.MQuantOperator}) fit a level λ and
 * a threshold t per group of weights ({@link org.ternsweep.quant.Granularity},
 * {@link org.ternsweep.quant.GroupLayout}) and map weights onto the codebook {-λ, 0, +λ}
 * (Yvinec, Dapogny, Bailly, "Designing strong baselines for ternary neural network quantization through
 * support and mass equalization", ICIP 2023, arXiv 2306.17442). {@link org.ternsweep.quant.Int8Quantizer}
 * is the 8-bit quantizer used for the first and last layers, and {@link org.ternsweep.quant.Diagnostics}
 * measures what a quantizer did to one layer.
 *
 * <p>Everything here works on ND4J arrays of weights only: no network code, no randomness, no state.
 * Arithmetic is done in double on a copy pulled out of the array once, so that no per-element native call
 * is made and the results do not depend on the array's data type or memory order. Loops that refit the same
 * weights many times (QAT, every step) hand that copy over directly
 * ({@link org.ternsweep.quant.TernaryOperator#fit(double[], org.ternsweep.quant.GroupLayout)}); mquant finds
 * its quantiles and levels by selection rather than sorting, bitwise equal to the sort-based definition.
 */
package org.ternsweep.quant;
