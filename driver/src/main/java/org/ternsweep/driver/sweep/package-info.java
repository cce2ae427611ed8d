/**
 * Sweep files: parsing a sweep YAML (with line numbers for every key), validating it against the
 * {@link org.ternsweep.catalog.Catalog}, applying command-line overrides, resolving every default
 * once, and expanding the grid into {@link org.ternsweep.core.CellSpec}s in a fixed order.
 */
package org.ternsweep.driver.sweep;
