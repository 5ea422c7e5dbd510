package dev.mailsec.it.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One reading of a JVM process from outside: threads, resident memory and open file handles from
 * {@code /proc/PID}, CPU seconds (user + system) from {@code /proc/PID/stat}, and heap in use after
 * the last collection from {@code jcmd PID GC.heap_info}.
 */
public final class JvmReading {

    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    public final int threads;
    public final long rssKib;
    public final long openFiles;
    public final double cpuSeconds;

    /** Heap used after a full collection in KiB; -1 if jcmd could not tell. */
    public final long heapUsedKib;

    private JvmReading(
            int threads, long rssKib, long openFiles, double cpuSeconds, long heapUsedKib) {
        this.threads = threads;
        this.rssKib = rssKib;
        this.openFiles = openFiles;
        this.cpuSeconds = cpuSeconds;
        this.heapUsedKib = heapUsedKib;
    }

    /** Reads the process now. */
    public static JvmReading of(long pid) throws IOException, InterruptedException {
        Path proc = Paths.get("/proc", Long.toString(pid));
        String status = Files.readString(proc.resolve("status"));
        int threads = Integer.parseInt(field(status, "Threads"));
        long rss = Long.parseLong(field(status, "VmRSS").replace("kB", "").trim());
        long fds;
        try (Stream<Path> list = Files.list(proc.resolve("fd"))) {
            fds = list.count();
        }
        String stat = Files.readString(proc.resolve("stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14 and 15 (utime, stime) are at 11 and 12 after the state (field 3)
        double cpu = (Long.parseLong(after[11]) + Long.parseLong(after[12])) / 100.0;
        return new JvmReading(threads, rss, fds, cpu, heapUsed(pid));
    }

    private static long heapUsed(long pid) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").start();
        gc.getInputStream().readAllBytes();
        if (!gc.waitFor(60, TimeUnit.SECONDS)) {
            gc.destroyForcibly();
            return -1;
        }
        Process p =
                new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return -1;
        }
        long used = 0;
        boolean found = false;
        Matcher m = HEAP_USED.matcher(out);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        return found ? used : -1;
    }

    private static String field(String status, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s*(.+)$").matcher(status);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in /proc status");
        }
        return m.group(1).trim();
    }

    @Override
    public String toString() {
        return String.format(
                "threads %d, open files %d, RSS %d MiB, live heap %s, CPU %.1f s",
                threads,
                openFiles,
                rssKib / 1024,
                heapUsedKib < 0 ? "?" : heapUsedKib / 1024 + " MiB",
                cpuSeconds);
    }
}
