/**
 * One cell of a sweep: its immutable specification ({@link org.ternsweep.cell.CellSpec}), its result
 * ({@link org.ternsweep.cell.CellResult}) and the runner that turns one into the other without Spark.
 */
package org.ternsweep.cell;
