/**
 * The command line ({@code ternsweep run | validate | list | version}), built with picocli.
 * {@link org.ternsweep.driver.cli.Main} is the only place that calls {@code System.exit}; the exit
 * codes are 0 (ok), 1 (cells FAILED, or the run itself failed) and 2 (bad input: usage, sweep file,
 * locked output directory, unusable executor class).
 */
package org.ternsweep.driver.cli;
