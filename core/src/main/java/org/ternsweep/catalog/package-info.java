/**
 * The catalog: every operator, method, model, dataset and sweep-level setting with its options and defaults, in
 * one place, and the validation that resolves a sweep's options before anything runs. Each component's options are
 * a typed record ({@code MQuantOptions}, {@code QatOptions}, ...) that declares them as {@link
 * org.ternsweep.catalog.Option} constants, each with its default; the catalog's option lists, {@code ternsweep list}
 * and validation all read those, and the executors receive the records.
 */
package org.ternsweep.catalog;
