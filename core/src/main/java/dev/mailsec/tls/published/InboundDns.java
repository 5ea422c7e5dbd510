package dev.mailsec.tls.published;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * The DNS a sender would ask about one of our domains: from a server ({@link DnsjavaInboundDns}) or
 * a zone file ({@link ZoneFileInboundDns}). Every method returns an empty list for "no such record"
 * and throws {@link IOException} when the answer cannot be had.
 */
public interface InboundDns {

    /** TXT records of {@code name}, each with its strings joined. */
    List<String> txt(String name) throws IOException;

    /** MX host names of {@code domain}, lowest preference first; {@code "."} for a null MX. */
    List<String> mx(String domain) throws IOException;

    /** A and AAAA addresses of {@code host}. */
    List<InetAddress> addresses(String host) throws IOException;

    /** TLSA records of {@code name} as their presentation text ({@code 3 1 1 ab12...}). */
    List<String> tlsa(String name) throws IOException;
}
