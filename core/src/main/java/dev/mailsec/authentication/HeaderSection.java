package dev.mailsec.authentication;

import dev.mailsec.dkim.CollectedHeader;
import dev.mailsec.dkim.HeaderCollector;
import dev.mailsec.dkim.internal.HeaderField;
import java.util.ArrayList;
import java.util.List;

/**
 * A message's header section, collected once as it streams past and parsed once, for DKIM, ARC and
 * DMARC's From fields alike: bounded by the largest of its readers' limits (each reader then
 * applies its own to the {@link CollectedHeader}). Its own limit for DMARC is {@value MAX_BYTES}
 * bytes and {@value MAX_FIELDS} fields: an oversized or unreadable header section gives no From
 * field, and DMARC then answers permerror. Not thread-safe: one per message.
 */
final class HeaderSection {

    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_FIELDS = 10_000;

    private final HeaderCollector collector;
    private final int maxFields;
    private CollectedHeader collected;
    private boolean overflow;

    /** Bounded by {@code maxBytes} and {@code maxFields}, or this class's own limits if larger. */
    HeaderSection(int maxBytes, int maxFields) {
        this.collector = new HeaderCollector(Math.max(MAX_BYTES, maxBytes));
        this.maxFields = Math.max(MAX_FIELDS, maxFields);
    }

    /**
     * Takes header bytes from {@code b}.
     *
     * @return how many were taken (the rest is body), or -1 when the header section broke the byte
     *     bound (it is then {@link #collected()}, and nothing more is read)
     */
    int take(byte[] b, int off, int len) {
        int taken = collector.take(b, off, len);
        if (taken < 0) {
            overflow = true;
        }
        return taken;
    }

    /** Whether the header section ended (its empty line seen) or broke the byte bound. */
    boolean ended() {
        return overflow || collector.complete();
    }

    /** The header section, parsed on the first call (at the end of the message at the latest). */
    CollectedHeader collected() {
        if (collected == null) {
            collected = collector.collected(maxFields);
        }
        return collected;
    }

    /** The From fields' values, raw (folded) as in the message. */
    List<String> fromFields() {
        List<String> out = new ArrayList<>();
        CollectedHeader header = collected();
        List<HeaderField> fields = header.largerThan(MAX_BYTES) ? null : header.fields(MAX_FIELDS);
        if (fields == null) {
            return out;
        }
        for (HeaderField f : fields) {
            if (f.lowerName().equals("from")) {
                out.add(f.rawValue());
            }
        }
        return out;
    }
}
