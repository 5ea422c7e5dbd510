package dev.mailsec.rights;

import dev.mailsec.shaded.bc.util.encoders.Hex;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The access log in the rights store: one write-once record {@code e/<jti>/<millis>-<random>} per
 * event.
 */
final class AccessLog {
    private final RightsRecords records;
    private final SecureRandom random;

    AccessLog(RightsRecords records, SecureRandom random) {
        this.records = records;
        this.random = random;
    }

    void append(AccessEvent event) throws RightsStoreUnavailableException {
        byte[] nonce = new byte[6];
        random.nextBytes(nonce);
        String key =
                String.format(
                        Locale.ROOT,
                        "e/%s/%020d-%s",
                        event.licenceId(),
                        event.time().toEpochMilli(),
                        Hex.toHexString(nonce));
        if (!records.create(key, AccessEvent.CODEC, event, "log an access event")) {
            throw new IllegalStateException("event key collision " + key);
        }
    }

    /** The events of these licence ids, oldest first. */
    List<AccessEvent> of(Collection<String> licenceIds) throws RightsStoreUnavailableException {
        List<AccessEvent> out = new ArrayList<>();
        for (String id : licenceIds) {
            out.addAll(records.list("e/" + id + "/", AccessEvent.CODEC, "read the access log"));
        }
        out.sort(Comparator.comparing(AccessEvent::time));
        return out;
    }
}
