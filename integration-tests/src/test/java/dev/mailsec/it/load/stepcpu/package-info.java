/**
 * Loaded into the James JVM, not the test's: wrappers that sum the CPU time and allocation of each
 * step of the pack per call ({@link dev.mailsec.it.load.stepcpu.StepCpu}), for {@code
 * PackCostTest}'s {@code *-timed} pipelines. {@code StepTimedPipelines} writes this package as a
 * jar into the James home's {@code extensions-jars/}; it must reference nothing outside James, the
 * pack and itself.
 */
package dev.mailsec.it.load.stepcpu;
