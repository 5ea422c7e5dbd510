package dev.mailsec.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.InstalledJames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pack costs a James: the same {@link LoadDriver} traffic through the same installed James
 * distribution under three pipelines ({@link Pipelines}: stock, verify, full), in one run, each
 * measured in a fresh James JVM after a warm-up, the configurations interleaved (ABC CBA ...) so
 * drift of the shared machine's load falls on all of them.
 *
 * <p>Per measurement: CPU seconds of the James JVM ({@code /proc/PID/stat} utime + stime) per 1,000
 * mails accepted over the steady window (after {@code mailsec.cost.warmup} mails, for {@code
 * mailsec.cost.mails} mails); mails accepted and delivered per second in that window; latency from
 * SMTP accept (the 250 after DATA, in the driver) to the local mailbox (IMAP INTERNALDATE, which
 * James sets at append, one-second resolution) and to the remote sink (end of DATA there, ms).
 * Every mail of the run must be counted out. The {@code verify-timed} and {@code full-timed}
 * pipelines ({@link StepTiming}) also read, in the James JVM, the CPU time of each step of the pack
 * itself ({@link StepCosts}): its share of stock's CPU per mail. Not run in CI: {@code
 * -Dmailsec.cost=true} (command in bench/README.md); writes its table to {@code
 * target/pack-cost.md}.
 */
@EnabledIfSystemProperty(named = "mailsec.cost", matches = "true")
class PackCostTest {

    private static final double RATE =
            Double.parseDouble(System.getProperty("mailsec.cost.rate", "10"));
    private static final int WARMUP = Integer.getInteger("mailsec.cost.warmup", 400);
    private static final int MAILS = Integer.getInteger("mailsec.cost.mails", 1000);
    private static final int ROUNDS = Integer.getInteger("mailsec.cost.rounds", 2);
    private static final List<String> CONFIGS =
            List.of(System.getProperty("mailsec.cost.configs", "full,verify,stock").split(","));

    /** A pipeline whose windows are recorded with JFR ({@code target/pack-cost-RUN.jfr}). */
    private static final String JFR = System.getProperty("mailsec.cost.jfr", "");

    private static final int CONNECTIONS = 4;
    private static final double CLOCK_TICKS = 100.0; // getconf CLK_TCK on Linux

    @TempDir Path work;

    @Test
    void cpuPerMailOfEachPipeline() throws Exception {
        List<Measurement> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (LoadedJames loaded = LoadedJames.start(work, List.of())) {
            Pipelines pipelines = new Pipelines(loaded, work.resolve("configs"));
            List<String> order = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                List<String> round = new ArrayList<>(CONFIGS);
                if (r % 2 == 1) {
                    Collections.reverse(round);
                }
                order.addAll(round);
            }
            int n = 0;
            for (String config : order) {
                pipelines.use(config);
                // run names are letters and digits: Message-IDs <RUN-N@load.mailsec> are read back
                // by them
                Measurement m = measure(loaded, config, "c" + (++n) + config.replace("-", ""));
                System.out.println("[pack-cost] " + m.row());
                results.add(m);
                if (m.missing > 0) {
                    missing.add(m.run + ": " + m.missing + " deliveries missing");
                }
                Files.createDirectories(Paths.get("target"));
                Files.writeString(Paths.get("target/pack-cost.md"), table(results));
            }
        }
        System.out.println(table(results));
        assertThat(missing).as("every mail of every run counted out").isEmpty();
    }

    /** One warm-up then one steady window of traffic into the running James, counted out. */
    private Measurement measure(LoadedJames loaded, String config, String run) throws Exception {
        InstalledJames james = loaded.james;
        long pid = james.jamesPid();
        LoadDriver driver =
                new LoadDriver("127.0.0.1", james.smtpPort, loaded.traffic, CONNECTIONS, RATE, run);
        Measurement m = new Measurement(config, run);
        m.loadBefore = loadAverage();
        driver.start();
        awaitAccepted(driver, WARMUP);
        if (config.equals(JFR)) {
            Path jfr = Paths.get("target", "pack-cost-" + run + ".jfr").toAbsolutePath();
            InstalledJames.run(
                    work,
                    "jcmd",
                    Long.toString(pid),
                    "JFR.start",
                    "name=cost",
                    "settings=profile",
                    "filename=" + jfr);
        }
        boolean timed = config.endsWith("-timed");
        if (timed) {
            StepCpuReading.of(pid); // starts the JVM's local management agent before the window
        }
        StepCpuReading steps0 = timed ? StepCpuReading.of(pid) : null;
        double cpu0 = cpuSeconds(pid);
        double jit0 = jitSeconds(pid);
        long t0 = System.currentTimeMillis();
        int n0 = driver.accepted().size();
        m.spoolAtStart = queued(james);
        awaitAccepted(driver, WARMUP + MAILS);
        double cpu1 = cpuSeconds(pid);
        if (timed) {
            m.steps = StepCpuReading.of(pid).since(steps0);
        }
        double jit1 = jitSeconds(pid);
        long t1 = System.currentTimeMillis();
        int n1 = driver.accepted().size();
        m.spoolAtEnd = queued(james);
        if (config.equals(JFR)) {
            InstalledJames.run(work, "jcmd", Long.toString(pid), "JFR.stop", "name=cost");
        }
        m.loadAfter = loadAverage();
        List<LoadDriver.Sent> sent = driver.stop();
        m.refused = driver.refused();
        Map<String, Long> acceptedAt = driver.acceptedAtMillis();
        m.window = (t1 - t0) / 1000.0;
        m.mails = n1 - n0;
        m.cpuPer1000 = (cpu1 - cpu0) / m.mails * 1000;
        m.jitPer1000 = (jit1 - jit0) / m.mails * 1000;
        m.acceptedPerSecond = m.mails / m.window;

        // count out: every (mail, recipient) in a local INBOX or at the sink
        Map<String, Long> delivered = new HashMap<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        List<String> expected = new ArrayList<>();
        for (LoadDriver.Sent s : sent) {
            for (String r : s.recipients) {
                expected.add(s.id + "|" + r);
            }
        }
        while (true) {
            delivered.clear();
            delivered.putAll(Deliveries.local(james, Pipelines.mailboxes(loaded), run));
            delivered.putAll(Deliveries.remote(loaded.sink, run));
            if (delivered.keySet().containsAll(expected) || Instant.now().isAfter(deadline)) {
                break;
            }
            Thread.sleep(3000);
        }
        m.missing = expected.stream().filter(k -> !delivered.containsKey(k)).count();

        List<Double> local = new ArrayList<>();
        List<Double> remote = new ArrayList<>();
        Map<String, Long> lastDelivery = new HashMap<>();
        for (Map.Entry<String, Long> d : delivered.entrySet()) {
            String id = d.getKey().substring(0, d.getKey().indexOf('|'));
            lastDelivery.merge(id, d.getValue(), Math::max);
            Long accepted = acceptedAt.get(id);
            if (accepted == null || accepted < t0 || accepted > t1) {
                continue;
            }
            boolean isLocal = d.getKey().endsWith("@example.test");
            // INTERNALDATE is truncated to the second: +0.5 s centres the estimate
            double seconds = (d.getValue() + (isLocal ? 500 : 0) - accepted) / 1000.0;
            (isLocal ? local : remote).add(seconds);
        }
        m.deliveredPerSecond =
                lastDelivery.values().stream().filter(t -> t >= t0 && t <= t1).count() / m.window;
        m.localP50 = Deliveries.percentile(local, 50);
        m.localP99 = Deliveries.percentile(local, 99);
        m.remoteP50 = Deliveries.percentile(remote, 50);
        m.remoteP99 = Deliveries.percentile(remote, 99);
        return m;
    }

    private static void awaitAccepted(LoadDriver driver, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds((long) (count / RATE * 3 + 120)));
        while (driver.accepted().size() < count) {
            assertThat(Instant.now())
                    .as("%d mails accepted; errors %s", driver.accepted().size(), driver.errors())
                    .isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static long queued(InstalledJames james) throws Exception {
        long n = 0;
        for (String q : james.webAdmin().queueNames()) {
            n += james.webAdmin().queueSize(q);
        }
        return n;
    }

    /** utime + stime of the process, seconds. */
    static double cpuSeconds(long pid) throws Exception {
        return ticks(Files.readString(Paths.get("/proc", Long.toString(pid), "stat")));
    }

    /**
     * utime + stime of the process's JIT compiler threads ({@code C1/C2 CompilerThre...} in {@code
     * /proc/PID/task/TID/stat}), seconds; threads that ended since are not counted.
     */
    static double jitSeconds(long pid) throws Exception {
        double sum = 0;
        try (Stream<Path> tasks = Files.list(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.matches("C[12] CompilerThre.*")) {
                    sum += ticks(stat);
                }
            }
        }
        return sum;
    }

    private static double ticks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(after[11]) + Long.parseLong(after[12])) / CLOCK_TICKS;
    }

    static String loadAverage() throws Exception {
        String[] f = Files.readString(Paths.get("/proc/loadavg")).split(" ");
        return f[0];
    }

    private static String table(List<Measurement> results) {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        "rate %.1f/s offered, %d connections, warm-up %d mails, window %d mails%n%n",
                        RATE, CONNECTIONS, WARMUP, MAILS));
        b.append(
                "| run | pipeline | mails | window s | accepted/s | delivered/s |"
                        + " CPU s / 1,000 mails | of which JIT | without JIT | mailbox p50 / p99 s | remote p50 / p99 s |"
                        + " queued start / end | load 1-min start / end | refused | missing |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement m : results) {
            b.append(m.row()).append('\n');
        }
        b.append('\n');
        b.append(summary(results, false)).append(summary(results, true));
        List<StepCosts.Window> timed = new ArrayList<>();
        for (Measurement m : results) {
            if (m.steps != null) {
                timed.add(new StepCosts.Window(m.config, m.steps));
            }
        }
        if (!timed.isEmpty()) {
            List<Double> stock = new ArrayList<>();
            List<Double> stockNoJit = new ArrayList<>();
            for (Measurement m : results) {
                if (m.config.equals("stock")) {
                    stock.add(m.cpuPer1000);
                    stockNoJit.add(m.cpuPer1000 - m.jitPer1000);
                }
            }
            b.append(StepCosts.table(timed, mean(stock), mean(stockNoJit)));
        }
        return b.toString();
    }

    private static String summary(List<Measurement> results, boolean withoutJit) {
        StringBuilder b = new StringBuilder();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        for (Measurement m : results) {
            cpu.computeIfAbsent(m.config, k -> new ArrayList<>())
                    .add(withoutJit ? m.cpuPer1000 - m.jitPer1000 : m.cpuPer1000);
        }
        Double stock = mean(cpu.get("stock"));
        for (Map.Entry<String, List<Double>> e : cpu.entrySet()) {
            double mean = mean(e.getValue());
            b.append(
                    String.format(
                            "%s: CPU s / 1,000 mails%s %s, mean %.1f%s%n",
                            e.getKey(),
                            withoutJit ? " without JIT" : "",
                            e.getValue().stream()
                                    .map(v -> String.format("%.1f", v))
                                    .collect(Collectors.toList()),
                            mean,
                            stock == null || e.getKey().equals("stock")
                                    ? ""
                                    : String.format(
                                            " (%+.1f%% over stock)", (mean / stock - 1) * 100)));
        }
        return b.toString();
    }

    private static Double mean(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** One configuration's steady window. */
    private static final class Measurement {
        final String config;
        final String run;
        String loadBefore;
        String loadAfter;
        double window;
        int mails;
        double cpuPer1000;
        double jitPer1000;
        double acceptedPerSecond;
        double deliveredPerSecond;
        double localP50;
        double localP99;
        double remoteP50;
        double remoteP99;
        long spoolAtStart;
        long spoolAtEnd;
        long refused;
        long missing;

        /** What each step of the pack spent in the window ({@code *-timed} pipelines). */
        StepCpuReading steps;

        Measurement(String config, String run) {
            this.config = config;
            this.run = run;
        }

        String row() {
            return String.format(
                    "| %s | %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f / %.1f |"
                            + " %.2f / %.2f |"
                            + " %d / %d | %s / %s | %d | %d |",
                    run,
                    config,
                    mails,
                    window,
                    acceptedPerSecond,
                    deliveredPerSecond,
                    cpuPer1000,
                    jitPer1000,
                    cpuPer1000 - jitPer1000,
                    localP50,
                    localP99,
                    remoteP50,
                    remoteP99,
                    spoolAtStart,
                    spoolAtEnd,
                    loadBefore,
                    loadAfter,
                    refused,
                    missing);
        }
    }
}
