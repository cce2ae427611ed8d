/**
 * The result store under a sweep's output directory, through the Hadoop FileSystem API (so file://,
 * hdfs:// and s3a:// work): the layout, one Parquet file per cell written atomically and
 * idempotently by cellId, the resume index, and the {@code _lock} that keeps two drivers apart.
 * docs/results-schema.md documents the Parquet columns.
 */
package org.ternsweep.driver.store;
