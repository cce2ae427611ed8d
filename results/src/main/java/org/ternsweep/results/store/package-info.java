/**
 * The cell store on any Hadoop file system: the output directory's layout, the cell schema, the one
 * writer and reader of cell rows, and the compactor.
 */
package org.ternsweep.results.store;
