package dev.mailsec.tls.connector.mtasts;

import java.util.Optional;

/**
 * The {@code _mta-sts.DOMAIN} TXT record (RFC 8461 section 3.1): {@code v=STSv1;
 * id=20261123T000000;}. Its {@code id} changes whenever the policy does, which is what tells a
 * sender to fetch the policy again.
 */
public final class MtaStsRecord {

    private final String id;

    private MtaStsRecord(String id) {
        this.id = id;
    }

    /**
     * Parses one TXT record's text (its strings already joined); empty when it is not an STSv1
     * record, as RFC 8461 says such records are ignored.
     */
    public static Optional<MtaStsRecord> parse(String text) {
        String[] fields = text.trim().split(";");
        if (fields.length == 0 || !fields[0].trim().equals("v=STSv1")) {
            return Optional.empty();
        }
        String id = null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].trim();
            if (field.startsWith("id=")) {
                id = field.substring(3).trim();
            }
        }
        if (id == null || !id.matches("[A-Za-z0-9]{1,32}")) {
            return Optional.empty();
        }
        return Optional.of(new MtaStsRecord(id));
    }

    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return "v=STSv1; id=" + id;
    }
}
