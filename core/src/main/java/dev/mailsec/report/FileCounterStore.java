package dev.mailsec.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The single-node store: counters in memory, written to {@code DIR/<period>/<domain>.rows} (one
 * {@code count<TAB>row} line per row, replaced atomically) by {@link #flush()}, which the recording
 * mailet calls every minute and before a report is made. A crash loses at most the counts since the
 * last flush. Not for a cluster: each node would report its own share under the same report name.
 */
public final class FileCounterStore<R extends CountedRow> implements CounterStore<R> {

    private final Path dir;
    private final RowKind<R> kind;
    private final int maxRows;
    private final TreeMap<Long, Map<String, Map<String, Long>>> counts = new TreeMap<>();
    private final Set<Pending> dirty = new HashSet<>();
    private final Set<Pending> claimed = new HashSet<>();

    private FileCounterStore(Path dir, RowKind<R> kind, int maxRows) {
        this.dir = dir;
        this.kind = kind;
        this.maxRows = maxRows;
    }

    /** Opens (creating) the store in {@code dir}, reading the counts already there. */
    public static <R extends CountedRow> FileCounterStore<R> open(
            Path dir, RowKind<R> kind, int maxRows) throws IOException {
        FileCounterStore<R> store = new FileCounterStore<>(dir, kind, maxRows);
        Files.createDirectories(dir);
        try (DirectoryStream<Path> periods = Files.newDirectoryStream(dir)) {
            for (Path p : periods) {
                long period;
                try {
                    period = Long.parseLong(p.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(p, "*.rows")) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        store.load(period, name.substring(0, name.length() - 5), f);
                    }
                }
            }
        }
        return store;
    }

    private void load(long period, String domain, Path file) throws IOException {
        Map<String, Long> rows = domainRows(period, domain);
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            try {
                long n = Long.parseLong(line.substring(0, tab));
                String row = line.substring(tab + 1);
                kind.decode(row);
                rows.merge(row, n, Long::sum);
            } catch (RuntimeException e) {
                throw new IOException(kind.label + " store: unreadable line in " + file, e);
            }
        }
    }

    private Map<String, Long> domainRows(long period, String domain) {
        return counts.computeIfAbsent(period, k -> new HashMap<>())
                .computeIfAbsent(domain, k -> new LinkedHashMap<>());
    }

    @Override
    public synchronized boolean add(long period, R row) {
        Map<String, Long> rows = domainRows(period, row.policyDomain());
        String key = row.encode();
        if (!rows.containsKey(key) && rows.size() >= maxRows) {
            return false;
        }
        rows.merge(key, 1L, Long::sum);
        dirty.add(new Pending(period, row.policyDomain()));
        return true;
    }

    @Override
    public synchronized List<Pending> pending(long before) {
        List<Pending> out = new ArrayList<>();
        counts.headMap(before)
                .forEach(
                        (p, domains) ->
                                domains.keySet().stream()
                                        .sorted()
                                        .forEach(d -> out.add(new Pending(p, d))));
        return out;
    }

    @Override
    public synchronized Map<R, Long> rows(long period, String policyDomain) {
        Map<R, Long> out = new LinkedHashMap<>();
        Map<String, Map<String, Long>> domains = counts.get(period);
        if (domains != null && domains.containsKey(policyDomain)) {
            domains.get(policyDomain).forEach((k, v) -> out.put(kind.decode(k), v));
        }
        return out;
    }

    @Override
    public synchronized boolean claim(long period, String policyDomain) {
        return claimed.add(new Pending(period, policyDomain));
    }

    @Override
    public synchronized void unclaim(long period, String policyDomain) {
        claimed.remove(new Pending(period, policyDomain));
    }

    @Override
    public synchronized void remove(long period, String policyDomain) throws IOException {
        Pending key = new Pending(period, policyDomain);
        claimed.remove(key);
        dirty.remove(key);
        Map<String, Map<String, Long>> domains = counts.get(period);
        if (domains != null) {
            domains.remove(policyDomain);
            if (domains.isEmpty()) {
                counts.remove(period);
            }
        }
        Files.deleteIfExists(file(key));
        try {
            Files.deleteIfExists(file(key).getParent());
        } catch (IOException e) {
            // other domains' files are still there
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        for (Pending p : new ArrayList<>(dirty)) {
            Map<String, Long> rows = counts.getOrDefault(p.period, Map.of()).get(p.policyDomain);
            if (rows == null) {
                dirty.remove(p);
                continue;
            }
            StringBuilder text = new StringBuilder();
            rows.forEach((k, v) -> text.append(v).append('\t').append(k).append('\n'));
            Path file = file(p);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            dirty.remove(p);
        }
    }

    private Path file(Pending p) {
        // domains are normalised names ([a-z0-9.-]); anything else never reaches a path
        String name = p.policyDomain.matches("[a-z0-9][a-z0-9.-]{0,252}") ? p.policyDomain : "_";
        return dir.resolve(Long.toString(p.period)).resolve(name + ".rows");
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
