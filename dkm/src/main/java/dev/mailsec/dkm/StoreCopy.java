package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Records;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code KeyManager.copyStore}: every record and audit line of one store, as stored (no key is
 * needed, nothing is decrypted or re-MACed), into another, empty one (e.g. file to PostgreSQL).
 */
final class StoreCopy {
    private StoreCopy() {}

    /** Copies every record and audit line of one store into another, empty one. */
    static int copy(Storage from, Storage to) throws DkmException {
        if (to.get(Records.META).isPresent() || !to.readAudit().isEmpty()) {
            throw new DkmInvalidRequestException("target store is not empty");
        }
        List<Write> writes = new ArrayList<>();
        for (StoredRecord r : from.list("")) {
            writes.add(new Write(r.key(), 0, r.value()));
        }
        try {
            to.write(writes);
        } catch (Storage.ConflictException e) {
            throw new DkmInvalidRequestException("target store changed during the copy");
        }
        List<String> lines = from.readAudit();
        Optional<String> head = from.readAuditHead();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            // the source's checkpoint goes with the last line (the copy cannot MAC a new one: it
            // holds no keys)
            boolean last = i == lines.size() - 1 && head.isPresent();
            to.appendAudit(
                    new Storage.AuditLineBuilder() {
                        @Override
                        public String next(String previous) {
                            return line;
                        }

                        @Override
                        public String head(String l) {
                            return last ? head.get() : l;
                        }
                    },
                    true);
        }
        return writes.size();
    }
}
