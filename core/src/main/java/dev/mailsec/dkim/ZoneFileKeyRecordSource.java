package dev.mailsec.dkim;

import dev.mailsec.dns.ZoneFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Key records from a BIND-syntax zone file, for tests and offline use: {@code name [ttl] [IN] TXT
 * "..." "..."} with {@code $ORIGIN}, {@code $TTL}, {@code @}, relative names, parentheses spanning
 * lines and {@code ;} comments, as {@code opendkim-genkey} writes them (parsed by {@link
 * ZoneFile}). Other record types are skipped. Names the file does not hold are {@link
 * KeyLookup.Status#NOT_FOUND}.
 */
public final class ZoneFileKeyRecordSource implements KeyRecordSource {

    private final ZoneFile zone;

    private ZoneFileKeyRecordSource(ZoneFile zone) {
        this.zone = zone;
    }

    /** Reads a zone file; a syntax error names the line. */
    public static ZoneFileKeyRecordSource load(Path file) throws IOException {
        return new ZoneFileKeyRecordSource(ZoneFile.load(file));
    }

    /** Parses zone file text; {@code source} names it in error messages. */
    public static ZoneFileKeyRecordSource parse(String text, String source) {
        return new ZoneFileKeyRecordSource(ZoneFile.parse(text, source));
    }

    @Override
    public KeyLookup lookup(String name) {
        List<String> found = zone.records(name, "TXT");
        return found.isEmpty()
                ? KeyLookup.notFound("NXDOMAIN in zone file")
                : KeyLookup.found(found);
    }

    /** Number of names holding TXT records. */
    public int size() {
        return zone.names("TXT");
    }
}
