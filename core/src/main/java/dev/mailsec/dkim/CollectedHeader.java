package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.HeaderSection;
import java.util.List;

/**
 * A message's header section collected and parsed once ({@link HeaderCollector#collected}), so that
 * DKIM, ARC and DMARC of one message read the same fields without collecting them again; each
 * reader applies its own limits to it ({@link #fields}, {@link #largerThan}). Immutable.
 */
public final class CollectedHeader {
    private final HeaderSection section;
    private final long bytes;

    /**
     * @param section the parsed fields, null when there were more than the parse allowed
     * @param bytes the bytes collected (the ending empty line included), or more than the
     *     collector's bound when it overflowed
     */
    CollectedHeader(HeaderSection section, long bytes) {
        this.section = section;
        this.bytes = bytes;
    }

    /** Whether the header section is longer than {@code maxBytes} (its empty line included). */
    public boolean largerThan(int maxBytes) {
        return bytes > maxBytes;
    }

    /**
     * The fields top to bottom, or null when there are more than {@code maxFields} (or more than
     * the parse allowed).
     */
    public List<HeaderField> fields(int maxFields) {
        if (section == null || section.fields().size() > maxFields) {
            return null;
        }
        return section.fields();
    }
}
