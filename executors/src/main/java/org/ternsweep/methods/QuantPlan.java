package org.ternsweep.methods;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.quant.Diagnostics;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.Int8Quantizer;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.quant.TernaryFit;
import org.ternsweep.quant.TernaryOperator;

/**
 * Which scheme each weight layer gets and how it is fitted (spec §3): every conv and dense weight is
 * ternarized, except the first and last weight layers, which follow {@code first_last} (int8, fp or
 * ternary). The operator fits (λ, t) once from the float weights; methods never learn λ.
 */
public record QuantPlan(TernaryOperator operator, Granularity granularity, LayerScheme firstLast) {

    public QuantPlan {
        if (operator == null || granularity == null || firstLast == null) {
            throw new IllegalArgumentException("a quantization plan needs an operator, a granularity and a first_last scheme");
        }
    }

    /** The scheme of weight layer {@code index} among {@code count} (network order). */
    public LayerScheme schemeOf(int index, int count) {
        return index == 0 || index == count - 1 ? firstLast : LayerScheme.TERNARY;
    }

    /** The schemes of all weight layers of a network, in order. */
    public LayerScheme[] schemes(List<WeightLayer> layers) {
        LayerScheme[] s = new LayerScheme[layers.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = schemeOf(i, s.length);
        }
        return s;
    }

    /** The operator's fit of a layer's current float weight. */
    public TernaryFit fit(WeightLayer layer) {
        return operator.fit(Nd4jArrays.value(layer.weight()), granularity, layer.outputAxis());
    }

    /**
     * Quantizes one layer's weight by its scheme with plain rounding (the data-free rule): the
     * quantized values, the fit (null unless ternary) and the diagnostics against the float weight.
     */
    public Quantized quantize(WeightLayer layer, LayerScheme scheme) {
        INDArray w = Nd4jArrays.value(layer.weight());
        return switch (scheme) {
            case TERNARY -> {
                TernaryFit fit = fit(layer);
                INDArray q = operator.quantize(w, fit);
                yield new Quantized(q, fit, Diagnostics.of(layer.name(), scheme.label(), w, q, fit));
            }
            case INT8 -> {
                INDArray q = Int8Quantizer.quantize(w, layer.outputAxis());
                yield new Quantized(q, null, Diagnostics.of(layer.name(), scheme.label(), w, q, null));
            }
            case FP -> new Quantized(w.dup(), null, Diagnostics.of(layer.name(), scheme.label(), w, w, null));
        };
    }

    /** A layer's quantized weight with its fit and diagnostics. */
    public record Quantized(INDArray values, TernaryFit fit, LayerDiagnostics diagnostics) {
    }
}
