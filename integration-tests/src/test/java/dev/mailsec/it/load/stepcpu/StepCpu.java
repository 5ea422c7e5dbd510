package dev.mailsec.it.load.stepcpu;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Inside the James JVM: CPU time ({@code ThreadMXBean.getCurrentThreadCpuTime}, the calling
 * thread's own user + system time) and bytes allocated by the calling thread, summed per step of
 * the pack around each call the {@code CpuTimed*} wrappers and {@code Timed*} hooks make. Read from
 * outside as the MBean {@value #NAME}, attribute {@code Snapshot}: one line per step, {@code
 * step<TAB>calls<TAB>cpu ns<TAB>bytes allocated}.
 *
 * <p>Test code: {@code PackCostTest} drops this package as a jar into the James home's {@code
 * extensions-jars/} (the pack's own jars load in the same class loader) for its {@code *-timed}
 * pipelines.
 */
public final class StepCpu implements StepCpuMBean {

    /** The MBean's name on the James JVM's platform MBean server. */
    public static final String NAME = "dev.mailsec.it:type=StepCpu";

    private static final ThreadMXBean THREADS = threads();
    private static final Map<String, Counters> STEPS = new ConcurrentHashMap<>();

    static {
        try {
            ManagementFactory.getPlatformMBeanServer()
                    .registerMBean(new StepCpu(), new ObjectName(NAME));
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + NAME, e);
        }
    }

    private StepCpu() {}

    /** Loads this class, registering the MBean (before the first mail, so a reading finds it). */
    static void load() {
        // the static initialiser does it
    }

    private static ThreadMXBean threads() {
        ThreadMXBean t = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!t.isCurrentThreadCpuTimeSupported() || !t.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM measures no per-thread CPU or allocation");
        }
        t.setThreadCpuTimeEnabled(true);
        t.setThreadAllocatedMemoryEnabled(true);
        return t;
    }

    /** A reading of the calling thread, taken before a step. */
    static Start start() {
        long id = Thread.currentThread().getId();
        return new Start(THREADS.getCurrentThreadCpuTime(), THREADS.getThreadAllocatedBytes(id));
    }

    /** Adds what the calling thread spent since {@code start} to {@code step}. */
    static void add(String step, Start start) {
        long cpu = THREADS.getCurrentThreadCpuTime() - start.cpu;
        long bytes = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - start.bytes;
        Counters c = STEPS.computeIfAbsent(step, k -> new Counters());
        c.calls.increment();
        c.cpuNanos.add(cpu);
        c.bytes.add(bytes);
    }

    @Override
    public String getSnapshot() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Counters> e : new TreeMap<>(STEPS).entrySet()) {
            Counters c = e.getValue();
            b.append(e.getKey())
                    .append('\t')
                    .append(c.calls.sum())
                    .append('\t')
                    .append(c.cpuNanos.sum())
                    .append('\t')
                    .append(c.bytes.sum())
                    .append('\n');
        }
        return b.toString();
    }

    /** The calling thread's CPU and allocation counters at the start of a step. */
    static final class Start {
        final long cpu;
        final long bytes;

        Start(long cpu, long bytes) {
            this.cpu = cpu;
            this.bytes = bytes;
        }
    }

    private static final class Counters {
        final LongAdder calls = new LongAdder();
        final LongAdder cpuNanos = new LongAdder();
        final LongAdder bytes = new LongAdder();
    }
}
