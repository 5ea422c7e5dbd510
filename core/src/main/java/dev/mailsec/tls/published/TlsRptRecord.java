package dev.mailsec.tls.published;

import java.util.Optional;

/**
 * The syntax of a {@code _smtp._tls} TXT record (RFC 8460 section 3): {@code v=TLSRPTv1;
 * rua=URI[,URI]}, each URI {@code mailto:} or {@code https:}; other fields are ignored.
 */
final class TlsRptRecord {

    private TlsRptRecord() {}

    /** What is wrong with {@code text}, or empty when it is a valid record. */
    static Optional<String> problem(String text) {
        String[] fields = text.trim().split(";", -1);
        if (!fields[0].trim().equals("v=TLSRPTv1")) {
            return Optional.of("must start with v=TLSRPTv1");
        }
        String rua = null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].trim();
            if (field.startsWith("rua=")) {
                if (rua != null) {
                    return Optional.of("rua given twice");
                }
                rua = field.substring(4).trim();
            }
        }
        if (rua == null || rua.isEmpty()) {
            return Optional.of("no rua= field");
        }
        for (String uri : rua.split(",")) {
            String u = uri.trim();
            if (!u.matches("mailto:[^@\\s!]+@[^@\\s!]+") && !u.matches("https://[^\\s!]+")) {
                return Optional.of(
                        "rua '" + MxProbe.printable(u) + "' is neither mailto: nor https:");
            }
        }
        return Optional.empty();
    }
}
