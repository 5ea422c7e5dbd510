package dev.mailsec.it.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table of {@link PackCostTest}'s timed pipelines: per step of the pack, its own CPU time (the
 * threads that ran it, {@link StepCpuReading}) per mail, and that as a share of stock James's CPU
 * per mail measured in the same run (the whole JVM, {@code /proc}). Both are CPU time, not wall
 * clock, so the ratio does not move with the machine's load the way window-to-window totals do.
 */
final class StepCosts {

    /** Mails: one {@code RecordTlsFacts.onMessage} call per mail accepted. */
    static final String PER_MAIL = "hook RecordTlsFacts";

    /** James's PostmasterAlias, wrapped as a control: the wrapper's own cost per call. */
    static final String CONTROL = "mailet PostmasterAlias";

    /** One timed window: its pipeline and what each step spent in it. */
    static final class Window {
        final String config;
        final StepCpuReading spent;

        Window(String config, StepCpuReading spent) {
            this.config = config;
            this.spent = spent;
        }
    }

    private StepCosts() {}

    /**
     * Per timed pipeline, per step: calls per mail, CPU µs per call and per mail, KB allocated per
     * mail, % of stock's CPU per mail (with and without the JIT compiler's share).
     */
    static String table(List<Window> windows, Double stockPer1000, Double stockNoJitPer1000) {
        Map<String, Map<String, long[]>> byConfig = new LinkedHashMap<>();
        for (Window w : windows) {
            Map<String, long[]> sum = byConfig.computeIfAbsent(w.config, k -> new TreeMap<>());
            w.spent.steps.forEach(
                    (step, v) -> {
                        long[] s = sum.computeIfAbsent(step, k -> new long[3]);
                        for (int i = 0; i < 3; i++) {
                            s[i] += v[i];
                        }
                    });
        }
        double stockUs = stockPer1000 == null ? Double.NaN : stockPer1000 * 1000;
        double stockNoJitUs = stockNoJitPer1000 == null ? Double.NaN : stockNoJitPer1000 * 1000;
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        "%nStock James CPU per mail in this run: %.0f µs (%.0f µs without JIT)%n%n",
                        stockUs, stockNoJitUs));
        b.append(
                "| pipeline | step | calls / mail | CPU µs / call | CPU µs / mail |"
                        + " KB allocated / mail | % of stock CPU / mail | % of stock without JIT |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, long[]>> c : byConfig.entrySet()) {
            long[] mailsRow = c.getValue().get(PER_MAIL);
            long mails = mailsRow == null ? 0 : mailsRow[0];
            if (mails == 0) {
                b.append("| ").append(c.getKey()).append(" | no mail timed | | | | | | |\n");
                continue;
            }
            long packCpu = 0;
            long packBytes = 0;
            for (Map.Entry<String, long[]> s : c.getValue().entrySet()) {
                long[] v = s.getValue();
                if (!s.getKey().equals(CONTROL)) {
                    packCpu += v[1];
                    packBytes += v[2];
                }
                b.append(row(c.getKey(), s.getKey(), mails, v, stockUs, stockNoJitUs));
            }
            b.append(
                    row(
                            c.getKey(),
                            "**the pack, all steps** (" + mails + " mails)",
                            mails,
                            new long[] {0, packCpu, packBytes},
                            stockUs,
                            stockNoJitUs));
        }
        return b.toString();
    }

    private static String row(
            String config, String step, long mails, long[] v, double stockUs, double noJitUs) {
        double perMailUs = v[1] / 1000.0 / mails;
        return String.format(
                "| %s | %s | %s | %s | %.1f | %.1f | %.2f | %.2f |%n",
                config,
                step,
                v[0] == 0 ? "" : String.format("%.2f", (double) v[0] / mails),
                v[0] == 0 ? "" : String.format("%.1f", v[1] / 1000.0 / v[0]),
                perMailUs,
                v[2] / 1024.0 / mails,
                perMailUs / stockUs * 100,
                perMailUs / noJitUs * 100);
    }
}
