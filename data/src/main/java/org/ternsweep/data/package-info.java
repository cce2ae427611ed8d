/**
 * Datasets, their resolution on disk or from the network, deterministic random streams and
 * calibration sampling: everything the executors need to know about data, and nothing about models
 * or Spark.
 *
 * <ul>
 *   <li>{@link org.ternsweep.data.Dataset}: an in-memory image-classification dataset with its
 *       SHA-256 (provenance and model-cache key).</li>
 *   <li>{@link org.ternsweep.data.IdxReader}: the IDX file format of MNIST and Fashion-MNIST,
 *       validated strictly (a truncated or corrupt file is an error, never a partial dataset).</li>
 *   <li>{@link org.ternsweep.data.DatasetResolver}: where the files come from, first hit wins:
 *       the explicit data directory ({@code --data}, else {@code TERNSWEEP_DATA}), the Debian package
 *       location, the cache dir, a verified download.</li>
 *   <li>{@link org.ternsweep.data.Datasets}: the JVM-wide loaded-dataset cache, so that Spark
 *       tasks in one executor JVM read the files once.</li>
 *   <li>{@link org.ternsweep.core.Seeds} and {@link org.ternsweep.data.Calibration}: every random
 *       choice keyed by (seed, purpose), spec §5.</li>
 *   <li>{@link org.ternsweep.data.CacheDirs}: the one place that decides where caches live.</li>
 * </ul>
 */
package org.ternsweep.data;
