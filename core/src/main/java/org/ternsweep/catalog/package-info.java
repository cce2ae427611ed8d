/**
 * The catalog: every operator, method, model, dataset and cell setting with its options and
 * defaults, in one place, and the validation that resolves a sweep's options before anything runs.
 */
package org.ternsweep.catalog;
