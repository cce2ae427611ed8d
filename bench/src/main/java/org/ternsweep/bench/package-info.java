/**
 * Benchmarks of the fast engine against stock DL4J (not tests: a timing never decides a pass/fail).
 * Built only with the {@code bench} Maven profile.
 */
package org.ternsweep.bench;
