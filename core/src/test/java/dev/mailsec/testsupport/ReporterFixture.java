package dev.mailsec.testsupport;

import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the reporter tests (DMARC aggregate reports, TLS reports) share: two instants a day apart, a
 * store directory, TXT answers from a map and the mails sent.
 */
public abstract class ReporterFixture {

    protected static final Instant DAY1 = Instant.parse("2026-12-06T10:00:00Z");
    protected static final Instant DAY2 = Instant.parse("2026-12-07T00:05:00Z");

    @TempDir protected Path dir;
    protected final Map<String, KeyLookup> dns = new HashMap<>();
    protected final KeyRecordSource txt =
            name -> dns.getOrDefault(name, KeyLookup.notFound("NXDOMAIN " + name));
    protected final List<MimeMessage> sent = new ArrayList<>();
}
