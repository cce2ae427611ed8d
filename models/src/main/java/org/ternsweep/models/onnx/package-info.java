/**
 * Bringing a user's network in: {@link org.ternsweep.models.onnx.OnnxImporter} reads an ONNX image classifier
 * (as {@code torch.onnx.export} or {@code tf2onnx} write it) into the engine as one
 * {@link org.ternsweep.engine.GraphStage}, so every operator and method runs on it (docs/models.md).
 */
package org.ternsweep.models.onnx;
