/**
 * The fast neural-network engine: float32 layers with hand-written forward and backward passes,
 * the {@link org.ternsweep.engine.Network} built from {@link org.ternsweep.engine.Stage}s (BrecQ's blocks),
 * the loss, the optimisers and the evaluator.
 *
 * <p>Why it exists: stock DL4J layers measured 10–17× slower than PyTorch on a 2-core CPU, and
 * evaluation, AdaRound/BrecQ reconstruction and QAT all run on this engine. Activations are NCHW,
 * weights use DL4J's layouts (conv {@code [out, in, kh, kw]}, dense {@code [nIn, nOut]}) and biases
 * are 1-D {@code [out]}, so models move to and from DL4J without reshuffling (see
 * {@code org.ternsweep.models.Dl4jBridge}). The public API speaks {@link org.nd4j.linalg.api.ndarray.INDArray};
 * internally layers compute on Java-heap {@link org.ternsweep.engine.Tensor}s and call OpenBLAS sgemm
 * for the matrix products, which avoids per-op JNI overhead on small tensors.
 */
package org.ternsweep.engine;
