package dev.mailsec.bench.smime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Runs an operation for a while and counts it in CPU time of the calling thread: on a shared
 * machine the neighbours change wall time far more than the CPU time a thread gets billed.
 */
final class CpuClock {

    /** One benchmarked operation. */
    interface Op {
        void run() throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuClock() {}

    /**
     * Runs {@code op} for {@code seconds} of wall time, so the JIT has compiled it before anything
     * is counted.
     */
    static void warm(Op op, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            op.run();
        }
    }

    /**
     * Runs {@code op} for {@code seconds} of wall time (at least once) and adds the runs and their
     * CPU nanoseconds to {@code total}.
     */
    static void measure(Op op, double seconds, long[] total) throws Exception {
        long n = 0;
        long cpu = THREADS.getCurrentThreadCpuTime();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            op.run();
            n++;
        } while (System.nanoTime() < end);
        total[0] += n;
        total[1] += THREADS.getCurrentThreadCpuTime() - cpu;
    }
}
