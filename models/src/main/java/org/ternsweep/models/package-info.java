/**
 * The model zoo (spec §7: {@code cnn-small}, {@code resnet-8}) with deterministic initialisation,
 * float training of the baselines on the fast engine, and the bridge to stock DL4J models, whose
 * zip format the model cache stores.
 */
package org.ternsweep.models;
