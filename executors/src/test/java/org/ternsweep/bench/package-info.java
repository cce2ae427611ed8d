/**
 * Benchmarks run by hand (main classes, never part of the test suite's pass/fail): training throughput
 * and memory of QAT against float training on the same engine.
 */
package org.ternsweep.bench;
