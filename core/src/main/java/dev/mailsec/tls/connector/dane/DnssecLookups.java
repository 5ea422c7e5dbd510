package dev.mailsec.tls.connector.dane;

/** The DNSSEC-aware lookups DANE needs; {@link DaneDns} in production, fakes in unit tests. */
public interface DnssecLookups {

    /** MX host names of {@code domain}, most preferred first. */
    DnssecAnswer<String> mx(String domain);

    /** TLSA records at {@code _port._tcp.host}. */
    DnssecAnswer<TlsaRecord> tlsa(String host, int port);

    /**
     * The A and AAAA records of MX host {@code host}, their DNSSEC status and the CNAME-expanded
     * name (RFC 7672 sections 2.2.2 and 2.2.3). The default checks nothing ({@link
     * DnssecAddresses#notChecked(String)}): lookups written before this method keep deciding by the
     * TLSA records alone; {@link DaneDns} looks them up.
     */
    default DnssecAddresses addresses(String host) {
        return DnssecAddresses.notChecked(host);
    }
}
