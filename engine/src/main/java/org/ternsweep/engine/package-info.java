/**
 * The fast neural-network engine: float32 layers with hand-written forward and backward passes,
 * the {@link org.ternsweep.engine.Network} built from {@link org.ternsweep.engine.Stage}s (BrecQ's blocks; a
 * network of any shape is one {@link org.ternsweep.engine.GraphStage}),
 * the loss, the optimisers and the evaluator, running on an {@link org.ternsweep.engine.Engine} (threads and
 * a {@link org.ternsweep.engine.ConvBackend}).
 *
 * <p>Why it exists: stock DL4J layers are an order of magnitude slower than PyTorch on a CPU
 * (docs/BENCHMARKS.md), and
 * evaluation, AdaRound/BrecQ reconstruction and QAT all run on this engine. Activations are NCHW,
 * weights use DL4J's layouts (conv {@code [out, in, kh, kw]}, dense {@code [nIn, nOut]}) and biases
 * are 1-D {@code [out]}, so models move to and from DL4J without reshuffling (see
 * {@code org.ternsweep.models.Dl4jBridge}). The engine speaks its own heap {@link org.ternsweep.engine.Tensor}s
 * and float arrays only and never loads ND4J: conversions to ND4J arrays live at the callers' edge
 * ({@code org.ternsweep.models.Nd4jArrays}). Its native code is OpenBLAS (sgemm) and oneDNN (convolutions),
 * both through JavaCPP presets.
 */
package org.ternsweep.engine;
