package dev.mailsec.dkim;

/**
 * Where DKIM key records come from: DNS ({@link DnsKeyRecordSource}) or a zone file ({@link
 * ZoneFileKeyRecordSource}). Implementations are thread-safe and shared by all messages; they never
 * throw for a failed lookup, they report it.
 */
public interface KeyRecordSource {

    /**
     * Looks up the TXT records at a name such as {@code s1._domainkey.example.com}.
     *
     * @param name the DNS name, without trailing dot; already checked to be a syntactically valid
     *     name
     */
    KeyLookup lookup(String name);
}
