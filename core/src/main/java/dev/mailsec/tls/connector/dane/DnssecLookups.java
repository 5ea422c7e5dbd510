package dev.mailsec.tls.connector.dane;

/** The two DNSSEC-aware lookups DANE needs; {@link DaneDns} in production, fakes in unit tests. */
public interface DnssecLookups {

    /** MX host names of {@code domain}, most preferred first. */
    DnssecAnswer<String> mx(String domain);

    /** TLSA records at {@code _port._tcp.host}. */
    DnssecAnswer<TlsaRecord> tlsa(String host, int port);
}
