package dev.mailsec.authentication;

import dev.mailsec.dkim.HeaderCollector;
import dev.mailsec.dkim.internal.HeaderField;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a message's header section as it streams past (bounded like DKIM's: {@value MAX_BYTES}
 * bytes, {@value MAX_FIELDS} fields) and gives its From field values for DMARC. An oversized or
 * unreadable header section gives no From field: DMARC then answers permerror.
 */
final class HeaderSection {

    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_FIELDS = 10_000;

    private final HeaderCollector collector = new HeaderCollector(MAX_BYTES);
    private boolean done;
    private boolean overflow;

    void write(byte[] b, int off, int len) {
        if (done) {
            return;
        }
        if (collector.take(b, off, len) < 0) {
            collector.discard();
            overflow = true;
            done = true;
        } else if (collector.complete()) {
            done = true;
        }
    }

    /** The From fields' values, raw (folded) as in the message. */
    List<String> fromFields() {
        List<String> out = new ArrayList<>();
        if (overflow) {
            return out;
        }
        dev.mailsec.dkim.internal.HeaderSection section = collector.parse(MAX_FIELDS);
        if (section == null) {
            return out;
        }
        for (HeaderField f : section.fields()) {
            if (f.lowerName().equals("from")) {
                out.add(f.rawValue());
            }
        }
        return out;
    }
}
