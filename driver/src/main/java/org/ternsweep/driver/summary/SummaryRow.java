package org.ternsweep.driver.summary;

import java.util.Objects;

/**
 * One group of a sweep: model × method(+options) × granularity × operator(+options), with the fixed
 * settings (dataset, first/last layers, model seed) that are part of the group key too. Accuracy is a
 * fraction in [0, 1]; statistics over the OK cells only (n); a statistic that is undefined (no OK
 * cell; std and CI with n &lt; 2) is null.
 *
 * @param accuracyStd  sample standard deviation (n − 1)
 * @param accuracyCi95 half-width of the 95 % Student-t confidence interval of the mean
 */
public record SummaryRow(String model, String dataset, String firstLast, long modelSeed, String method,
                         String methodOptions, String granularity, String operator, String operatorOptions, long n,
                         long nFailed, Double accuracyMean, Double accuracyStd, Double accuracyCi95,
                         Double accuracyMin, Double accuracyMax, Double floatAccuracyMean,
                         Double quantizeSecondsMean, Double evalSecondsMean) {
    public SummaryRow {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(granularity, "granularity");
        if (n < 0 || nFailed < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got n=" + n + ", n_failed=" + nFailed);
        }
    }
}
