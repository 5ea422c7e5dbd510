package dev.mailsec.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.InstalledJames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity of a James under each pipeline ({@link Pipelines}): the same {@link LoadDriver}
 * traffic offered at rising rates, a step of {@code mailsec.cost.ramp.seconds} each, until a step
 * no longer keeps up: fewer than 90% of the offered mails accepted per second, a mail refused, or
 * p99 from SMTP accept to delivery (local INBOX by IMAP INTERNALDATE + 0.5 s, remote sink by end of
 * DATA) above {@code mailsec.cost.ramp.p99} seconds. Each step is counted out (every mail, every
 * recipient); counted local mail is expunged, so James's memory mailbox does not grow over the
 * ramp. A warm-up at 8 mails/s precedes each pipeline's ramp, in a fresh James JVM. Not run in CI:
 * {@code -Dmailsec.cost.ramp=true} (command in bench/README.md); writes {@code
 * target/pack-capacity.md}.
 */
@EnabledIfSystemProperty(named = "mailsec.cost.ramp", matches = "true")
class PackCapacityTest {

    private static final List<String> CONFIGS =
            List.of(System.getProperty("mailsec.cost.ramp.configs", "stock,full").split(","));
    private static final List<Double> RATES = rates();
    private static final int STEP_SECONDS = Integer.getInteger("mailsec.cost.ramp.seconds", 40);
    private static final int WARMUP = Integer.getInteger("mailsec.cost.warmup", 500);
    private static final double P99_LIMIT =
            Double.parseDouble(System.getProperty("mailsec.cost.ramp.p99", "3"));

    @TempDir Path work;

    @Test
    void highestRateEachPipelineKeepsUpWith() throws Exception {
        List<Step> steps = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (LoadedJames loaded = LoadedJames.start(work, List.of())) {
            Pipelines pipelines = new Pipelines(loaded, work.resolve("configs"));
            int n = 0;
            for (String config : CONFIGS) {
                pipelines.use(config);
                Step warm = step(loaded, config, "w" + (++n) + config, 8, WARMUP / 8.0);
                System.out.println("[pack-capacity] warm-up " + warm.row());
                if (warm.missing > 0) {
                    missing.add(warm.run + ": " + warm.missing + " deliveries missing");
                }
                for (double rate : RATES) {
                    Step s = step(loaded, config, "r" + (++n) + config, rate, STEP_SECONDS);
                    System.out.println("[pack-capacity] " + s.row());
                    steps.add(s);
                    if (s.missing > 0) {
                        missing.add(s.run + ": " + s.missing + " deliveries missing");
                    }
                    Files.createDirectories(Paths.get("target"));
                    Files.writeString(Paths.get("target/pack-capacity.md"), table(steps));
                    if (!s.keptUp()) {
                        break;
                    }
                }
            }
        }
        System.out.println(table(steps));
        assertThat(missing).as("every mail of every step counted out").isEmpty();
    }

    /** Traffic at this rate for this long, then counted out. */
    private static Step step(
            LoadedJames loaded, String config, String run, double rate, double seconds)
            throws Exception {
        InstalledJames james = loaded.james;
        long pid = james.jamesPid();
        int connections = Math.max(4, (int) Math.ceil(rate / 2));
        LoadDriver driver =
                new LoadDriver("127.0.0.1", james.smtpPort, loaded.traffic, connections, rate, run);
        Step s = new Step(config, run, rate);
        s.loadBefore = PackCostTest.loadAverage();
        double cpu0 = PackCostTest.cpuSeconds(pid);
        long t0 = System.currentTimeMillis();
        driver.start();
        Thread.sleep((long) (seconds * 1000));
        List<LoadDriver.Sent> sent = driver.stop();
        long t1 = System.currentTimeMillis();
        s.loadAfter = PackCostTest.loadAverage();
        s.mails = sent.size();
        s.refused = driver.refused();
        s.acceptedPerSecond = sent.size() / ((t1 - t0) / 1000.0);

        List<String> expected = new ArrayList<>();
        for (LoadDriver.Sent m : sent) {
            for (String r : m.recipients) {
                expected.add(m.id + "|" + r);
            }
        }
        Map<String, Long> delivered = new HashMap<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            delivered.putAll(Deliveries.local(james, Pipelines.mailboxes(loaded), run, true));
            delivered.putAll(Deliveries.remote(loaded.sink, run));
            if (delivered.keySet().containsAll(expected) || Instant.now().isAfter(deadline)) {
                break;
            }
            Thread.sleep(2000);
        }
        s.cpuPer1000 = (PackCostTest.cpuSeconds(pid) - cpu0) / Math.max(1, s.mails) * 1000;
        s.missing = expected.stream().filter(k -> !delivered.containsKey(k)).count();
        Map<String, Long> acceptedAt = driver.acceptedAtMillis();
        List<Double> latencies = new ArrayList<>();
        for (Map.Entry<String, Long> d : delivered.entrySet()) {
            String id = d.getKey().substring(0, d.getKey().indexOf('|'));
            Long accepted = acceptedAt.get(id);
            if (accepted != null) {
                boolean isLocal = d.getKey().endsWith("@example.test");
                // INTERNALDATE is truncated to the second: +0.5 s centres the estimate
                latencies.add((d.getValue() + (isLocal ? 500 : 0) - accepted) / 1000.0);
            }
        }
        s.p50 = Deliveries.percentile(latencies, 50);
        s.p99 = Deliveries.percentile(latencies, 99);
        return s;
    }

    private static List<Double> rates() {
        List<Double> out = new ArrayList<>();
        for (String r :
                System.getProperty("mailsec.cost.ramp.rates", "8,16,24,32,48,64").split(",")) {
            out.add(Double.parseDouble(r.trim()));
        }
        return out;
    }

    private static String table(List<Step> steps) {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        "steps of %d s, kept up = accepted >= 90%% of offered and p99 <= %.1f s%n%n",
                        STEP_SECONDS, P99_LIMIT));
        b.append(
                "| step | pipeline | offered/s | accepted/s | mails | accept-to-delivery p50 / p99 s |"
                        + " CPU s / 1,000 mails | load 1-min start / end | refused | missing | kept up |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Step s : steps) {
            b.append(s.row()).append('\n');
        }
        Map<String, Double> best = new HashMap<>();
        for (Step s : steps) {
            if (s.keptUp()) {
                best.merge(s.config, s.acceptedPerSecond, Math::max);
            }
        }
        b.append('\n');
        best.forEach(
                (config, rate) ->
                        b.append(
                                String.format(
                                        "%s: highest step kept up: %.1f accepted mails/s%n",
                                        config, rate)));
        return b.toString();
    }

    /** One step of the ramp. */
    private static final class Step {
        final String config;
        final String run;
        final double offered;
        String loadBefore;
        String loadAfter;
        int mails;
        long refused;
        long missing;
        double acceptedPerSecond;
        double cpuPer1000;
        double p50;
        double p99;

        Step(String config, String run, double offered) {
            this.config = config;
            this.run = run;
            this.offered = offered;
        }

        boolean keptUp() {
            return acceptedPerSecond >= 0.9 * offered
                    && p99 <= P99_LIMIT
                    && missing == 0
                    && refused == 0;
        }

        String row() {
            return String.format(
                    "| %s | %s | %.0f | %.1f | %d | %.1f / %.1f | %.1f | %s / %s | %d | %d | %s |",
                    run,
                    config,
                    offered,
                    acceptedPerSecond,
                    mails,
                    p50,
                    p99,
                    cpuPer1000,
                    loadBefore,
                    loadAfter,
                    refused,
                    missing,
                    keptUp() ? "yes" : "no");
        }
    }
}
