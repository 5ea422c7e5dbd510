package dev.mailsec.bench.rights;

import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.RightsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable access-log writes per second through {@link RightsStore#log} with N concurrent writers,
 * each a closed loop (what every portal open costs in the store, without the page around it).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.rights.AccessLogLoad [--writers 1,8,32]
 *     [--seconds 10] [--store jdbc:postgresql://127.0.0.1:5432/test?user=postgres]
 * </pre>
 *
 * Without {@code --store}, a file store in a fresh temporary folder.
 */
public final class AccessLogLoad {

    public static void main(String[] args) throws Exception {
        List<Integer> writers = List.of(1, 8, 32);
        int seconds = 10;
        String storeUrl = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--writers":
                    writers = new ArrayList<>();
                    for (String w : args[i + 1].split(",")) {
                        writers.add(Integer.parseInt(w.trim()));
                    }
                    break;
                case "--seconds":
                    seconds = Integer.parseInt(args[i + 1]);
                    break;
                case "--store":
                    storeUrl = args[i + 1];
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("mailsec-access-log-load-");
        String url = storeUrl == null ? "file:" + dir.resolve("rights-state") : storeUrl;
        String schema = "mailsec_rights_log_" + System.nanoTime() % 100000;
        System.out.printf(
                Locale.ROOT,
                "# access-log appends, JDK %s, %d CPUs, store %s%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                storeUrl == null ? "file" : "postgresql");
        System.out.println("| writers | appends | appends/s |");
        System.out.println("|---:|---:|---:|");
        try (RightsStore store = RightsStore.open(url, schema)) {
            for (int n : writers) {
                run(store, n, 2); // warm-up
                long count = run(store, n, seconds);
                System.out.printf(
                        Locale.ROOT, "| %d | %d | %.0f |%n", n, count, count / (double) seconds);
            }
        }
    }

    private static long run(RightsStore store, int writers, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong count = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            String licence = String.format(Locale.ROOT, "LicenceOfWriter%07d", t);
            Thread th =
                    new Thread(
                            () -> {
                                try {
                                    while (System.nanoTime() < end) {
                                        store.log(
                                                new AccessEvent(
                                                        Instant.now(),
                                                        licence,
                                                        "carol@external.test",
                                                        EventType.OPENED,
                                                        Channel.PORTAL,
                                                        "192.0.2.1 bench",
                                                        ""));
                                        count.incrementAndGet();
                                    }
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        return count.get();
    }
}
