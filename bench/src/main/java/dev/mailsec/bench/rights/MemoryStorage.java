package dev.mailsec.bench.rights;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A record store in memory, to measure the rights engine without a disk or a database under it. */
final class MemoryStorage implements Storage {
    private final ConcurrentSkipListMap<String, StoredRecord> records =
            new ConcurrentSkipListMap<>();

    @Override
    public Optional<StoredRecord> get(String key) {
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public List<StoredRecord> list(String prefix) {
        List<StoredRecord> out = new ArrayList<>();
        for (Map.Entry<String, StoredRecord> e : records.tailMap(prefix).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(e.getValue());
        }
        return out;
    }

    @Override
    public synchronized void write(List<Write> writes) throws ConflictException {
        for (Write w : writes) {
            StoredRecord old = records.get(w.key());
            if ((old == null ? 0 : old.revision()) != w.expectedRevision()) {
                throw new ConflictException(w.key());
            }
        }
        for (Write w : writes) {
            records.put(w.key(), new StoredRecord(w.key(), w.expectedRevision() + 1, w.value()));
        }
    }

    @Override
    public void appendAudit(AuditLineBuilder builder, boolean durable) {
        throw new UnsupportedOperationException("no audit log in the benchmark store");
    }

    @Override
    public Optional<String> readAuditHead() {
        return Optional.empty();
    }

    @Override
    public List<String> readAudit() {
        return new ArrayList<>();
    }

    /**
     * Forgets every record whose key does not mention {@code keep} (bounds memory between
     * iterations).
     */
    void retain(String keep) {
        records.keySet().removeIf(k -> !k.contains(keep));
    }

    @Override
    public void close() {
        records.clear();
    }
}
