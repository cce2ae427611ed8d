package org.ternsweep.models.onnx;

import java.util.Arrays;
import java.util.Map;
import org.ternsweep.core.BadInputException;
import org.ternsweep.engine.Network;

/**
 * A network read from an ONNX file by {@link OnnxImporter}, with what a sweep records about it.
 *
 * @param network   the engine's network, cut into stages by {@link org.ternsweep.engine.GraphPartition} (residual
 *                  blocks are graph stages, every other weight layer a sequential stage), taking pixels in [0, 1]:
 *                  any normalisation given with the file or found in its graph is its first layer
 * @param source    where the file was read from, for messages and provenance
 * @param sha256    the file's SHA-256 (lower-case hex)
 * @param producer  the exporting tool and version as the file names them, e.g. {@code pytorch 1.13.0}
 * @param opset     the default-domain opset the file imports
 * @param inputShape the input's {@code [channels, height, width]} (the batch dimension is free)
 * @param classes   the number of logits
 * @param ops       op type → node count in the file
 */
public record ImportedNetwork(Network network, String source, String sha256, String producer, int opset,
                              int[] inputShape, int classes, Map<String, Integer> ops) {
    public ImportedNetwork {
        inputShape = inputShape.clone();
        ops = Map.copyOf(ops);
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * Checks that the network takes the dataset's images.
     *
     * @throws BadInputException naming both shapes if they differ
     */
    public void requireInputShape(int channels, int height, int width, String dataset) {
        int[] data = {channels, height, width};
        if (!Arrays.equals(inputShape, data)) {
            throw new BadInputException(source + ": the network's input is " + Arrays.toString(inputShape)
                    + " (channels, height, width) but dataset " + dataset + " has images of "
                    + Arrays.toString(data));
        }
    }
}
