/**
 * Running sweeps on a Spark cluster: {@link org.ternsweep.driver.cluster.SparkSubmitLauncher} starts
 * Spark's own {@code SparkSubmit} from the bundled jars with the shaded application jar, for users
 * without a Spark installation ({@code ternsweep submit}). docs/cluster.md is the guide.
 */
package org.ternsweep.driver.cluster;
