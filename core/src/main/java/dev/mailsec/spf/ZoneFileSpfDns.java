package dev.mailsec.spf;

import dev.mailsec.dns.ZoneFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SPF's DNS from a BIND-syntax zone file ({@link ZoneFile}), for tests and offline checks. A name
 * the file does not hold is NXDOMAIN; a name it holds without the type asked is "no data". MX data
 * is {@code preference exchange}; exchanges are answered in preference order. A TXT record whose
 * data is {@code TIMEOUT} answers every query at that name with a timeout, to test temperror.
 */
public final class ZoneFileSpfDns implements SpfDns {

    private static final String TIMEOUT = "TIMEOUT";

    private final ZoneFile zone;

    private ZoneFileSpfDns(ZoneFile zone) {
        this.zone = zone;
    }

    public static ZoneFileSpfDns load(Path file) throws IOException {
        return new ZoneFileSpfDns(ZoneFile.load(file));
    }

    public static ZoneFileSpfDns parse(String text, String source) {
        return new ZoneFileSpfDns(ZoneFile.parse(text, source));
    }

    @Override
    public Answer query(String name, Type type) {
        if (!zone.hasName(name)) {
            return Answer.nxdomain();
        }
        if (zone.records(name, "TXT").contains(TIMEOUT)) {
            return Answer.temporaryFailure("timeout");
        }
        List<String> data = zone.records(name, type.name());
        if (type != Type.MX) {
            return Answer.of(data);
        }
        List<String[]> mx = new ArrayList<>();
        for (String d : data) {
            String[] parts = d.trim().split("\\s+");
            if (parts.length != 2 || !parts[0].matches("\\d{1,5}")) {
                return Answer.temporaryFailure("malformed MX data '" + d + "'");
            }
            mx.add(parts);
        }
        mx.sort((x, y) -> Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0])));
        List<String> names = new ArrayList<>();
        for (String[] m : mx) {
            names.add(m[1]);
        }
        return Answer.of(names);
    }
}
