/**
 * Benchmarks, run by hand as main classes (a timing never decides a test's pass or fail): the engine
 * against stock DL4J and {@code bench/pytorch_reference.py} (EngineBench), per-layer and per-block profiles,
 * sgemm orientations, QAT training throughput, and AdaRound reconstruction steps. Built only with the
 * {@code bench} Maven profile: {@code mvn -B -o -Pbench -pl bench -am package -DskipTests}, then
 * {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.ternsweep.bench.<Name>}.
 */
package org.ternsweep.bench;
