package dev.mailsec.it.load;

import com.sun.tools.attach.VirtualMachine;
import dev.mailsec.it.load.stepcpu.StepCpu;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One reading of {@link StepCpu} in a James JVM, taken from the test's JVM through the attach API
 * (the JVM's local management agent: no port, no password), and the difference of two readings.
 */
final class StepCpuReading {

    /** Per step: calls, CPU ns, bytes allocated. */
    final Map<String, long[]> steps = new LinkedHashMap<>();

    private StepCpuReading() {}

    /** Reads the James JVM {@code pid} now. */
    static StepCpuReading of(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String snapshot;
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                snapshot =
                        (String)
                                c.getMBeanServerConnection()
                                        .getAttribute(new ObjectName(StepCpu.NAME), "Snapshot");
            }
        } finally {
            vm.detach();
        }
        StepCpuReading r = new StepCpuReading();
        for (String line : snapshot.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t");
            r.steps.put(
                    f[0],
                    new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        return r;
    }

    /** What was spent between {@code before} and this reading. */
    StepCpuReading since(StepCpuReading before) {
        StepCpuReading d = new StepCpuReading();
        steps.forEach(
                (step, now) -> {
                    long[] then = before.steps.getOrDefault(step, new long[3]);
                    d.steps.put(
                            step,
                            new long[] {now[0] - then[0], now[1] - then[1], now[2] - then[2]});
                });
        return d;
    }
}
