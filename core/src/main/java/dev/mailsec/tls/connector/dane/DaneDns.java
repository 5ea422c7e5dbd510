package dev.mailsec.tls.connector.dane;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNSSEC-aware MX, address and TLSA lookups for DANE (RFC 7672 section 2.1), in one of two modes:
 *
 * <ul>
 *   <li>{@link #trustedResolver}: a validating resolver the operator runs (unbound, BIND, Knot
 *       Resolver). Its AD bit is believed only when it is on a loopback address or one the operator
 *       lists as trusted, as Postfix does with {@code smtp_dns_support_level = dnssec} (the path to
 *       any other resolver is not protected).
 *   <li>{@link #validating}: dnsjava's own validator ({@link ValidatingResolver}) over any
 *       recursive resolver, from the operator's trust anchor file (DS or DNSKEY records in zone
 *       file form).
 * </ul>
 *
 * Usable answers are cached for their TTL (at most an hour); bogus and failed ones are not, so the
 * next delivery attempt asks again. Thread-safe.
 */
public final class DaneDns implements DnssecLookups {

    static final Duration MAX_CACHE = Duration.ofHours(1);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Resolver resolver;
    private final boolean ownValidator;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    DaneDns(Resolver resolver, boolean ownValidator, Clock clock) {
        this.resolver = resolver;
        this.ownValidator = ownValidator;
        this.clock = clock;
    }

    /**
     * A validating resolver the operator runs, at {@code server}.
     *
     * @param trusted addresses other than loopback whose AD bit may be believed
     * @throws IllegalArgumentException when {@code server} is neither loopback nor trusted
     */
    public static DaneDns trustedResolver(InetSocketAddress server, Set<InetAddress> trusted) {
        InetAddress address = server.getAddress();
        if (address == null || !(address.isLoopbackAddress() || trusted.contains(address))) {
            throw new IllegalArgumentException(
                    "the resolver "
                            + server.getHostString()
                            + " is neither a loopback address nor trusted: its AD bit could be forged");
        }
        SimpleResolver simple = new SimpleResolver(server);
        simple.setTimeout(TIMEOUT);
        simple.setEDNS(0, 1232, ExtendedFlags.DO, Collections.emptyList());
        return new DaneDns(simple, false, Clock.systemUTC());
    }

    /**
     * dnsjava's validator over the recursive resolver at {@code upstream}, trusting the DS or
     * DNSKEY records in {@code trustAnchors}.
     *
     * @throws IOException when the file cannot be read or holds no trust anchor
     */
    public static DaneDns validating(InetSocketAddress upstream, Path trustAnchors)
            throws IOException {
        SimpleResolver simple = new SimpleResolver(upstream);
        simple.setTimeout(TIMEOUT);
        ValidatingResolver validator = new ValidatingResolver(simple);
        byte[] anchors;
        try {
            anchors = Files.readAllBytes(trustAnchors);
        } catch (NoSuchFileException e) {
            throw new IOException(trustAnchors + ": no such file", e);
        }
        if (countAnchors(anchors, trustAnchors) == 0) {
            throw new IOException(trustAnchors + ": no DS or DNSKEY record");
        }
        validator.loadTrustAnchors(new ByteArrayInputStream(anchors));
        validator.setTimeout(TIMEOUT);
        validator.setAddReasonToAdditional(true);
        return new DaneDns(validator, true, Clock.systemUTC());
    }

    private static int countAnchors(byte[] anchors, Path file) throws IOException {
        int count = 0;
        try (Master master = new Master(new ByteArrayInputStream(anchors), Name.root, 3600)) {
            master.disableIncludes();
            for (Record record = master.nextRecord();
                    record != null;
                    record = master.nextRecord()) {
                if (record.getType() == Type.DS || record.getType() == Type.DNSKEY) {
                    count++;
                }
            }
        } catch (TextParseException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return count;
    }

    /**
     * The MX host names of {@code domain}, most preferred first (a null MX gives none; no MX
     * records at all gives an empty list too, see {@link DanePolicies}).
     */
    @Override
    public DnssecAnswer<String> mx(String domain) {
        return cached(domain, Type.MX, DaneDns::mxHosts);
    }

    private static DnssecAnswer<String> mxHosts(DnssecAnswer<Record> answer) {
        if (!answer.usable()) {
            return DnssecAnswer.failed(answer.status(), answer.reason());
        }
        List<MXRecord> records = new ArrayList<>();
        for (Record record : answer.records()) {
            records.add((MXRecord) record);
        }
        records.sort(Comparator.comparingInt(MXRecord::getPriority));
        List<String> hosts = new ArrayList<>();
        for (MXRecord record : records) {
            String host = hostName(record.getTarget());
            if (!host.isEmpty() && !hosts.contains(host)) {
                hosts.add(host);
            }
        }
        return DnssecAnswer.of(answer.status(), hosts);
    }

    /** The TLSA records at {@code _port._tcp.host} (RFC 7672 section 2.2.3). */
    @Override
    public DnssecAnswer<TlsaRecord> tlsa(String host, int port) {
        return cached("_" + port + "._tcp." + host, Type.TLSA, DaneDns::tlsaRecords);
    }

    private static DnssecAnswer<TlsaRecord> tlsaRecords(DnssecAnswer<Record> answer) {
        if (!answer.usable()) {
            return DnssecAnswer.failed(answer.status(), answer.reason());
        }
        List<TlsaRecord> records = new ArrayList<>();
        for (Record record : answer.records()) {
            try {
                records.add(TlsaRecord.fromRdata(record.rdataToWireCanonical()));
            } catch (MalformedTlsaException e) {
                // RFC 7672 section 2.2: a malformed record is unusable; usable ones still count
                // TLS-RPT: tlsa-invalid
                records.add(new TlsaRecord(255, 255, 255, new byte[0]));
            }
        }
        return DnssecAnswer.of(answer.status(), records);
    }

    /**
     * The answer for {@code name} and {@code type} as {@code convert} makes it, from the cache
     * while its TTL lasts.
     */
    @SuppressWarnings("unchecked")
    private <T> DnssecAnswer<T> cached(
            String name, int type, Function<DnssecAnswer<Record>, DnssecAnswer<T>> convert) {
        String key = name.toLowerCase(Locale.ROOT) + "/" + type;
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires)) {
            return (DnssecAnswer<T>) cached.answer;
        }
        DnssecAnswer<Record> raw = lookup(name, type).answer;
        DnssecAnswer<T> answer = convert.apply(raw);
        if (answer.usable()) {
            cache.put(key, new Cached(answer, now.plusSeconds(ttl(raw))));
        }
        return answer;
    }

    private static long ttl(DnssecAnswer<Record> raw) {
        long ttl = MAX_CACHE.getSeconds();
        for (Record record : raw.records()) {
            ttl = Math.min(ttl, record.getTTL());
        }
        return ttl;
    }

    /**
     * The A and AAAA records of {@code host}: secure only when both answers are (a validating
     * resolver sets AD only when every RRset of the answer, CNAMEs included, validated), bogus or
     * failed when either is, and the name the CNAME chain of the A lookup (else the AAAA one) ends
     * at. Cached like the other answers.
     */
    @Override
    public DnssecAddresses addresses(String host) {
        String key = host.toLowerCase(Locale.ROOT) + "/addresses";
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires)) {
            return (DnssecAddresses) cached.answer;
        }
        Raw v4 = lookup(host, Type.A);
        Raw v6 = lookup(host, Type.AAAA);
        String name = hostName(host);
        for (Raw raw : List.of(v4, v6)) {
            if (!raw.answer.usable()) {
                return DnssecAddresses.failed(raw.answer.status(), name, raw.answer.reason());
            }
        }
        DnssecStatus status =
                v4.answer.status() == DnssecStatus.SECURE
                                && v6.answer.status() == DnssecStatus.SECURE
                        ? DnssecStatus.SECURE
                        : DnssecStatus.INSECURE;
        Name end = v4.expanded != null ? v4.expanded : v6.expanded;
        String expanded = end == null ? name : hostName(end);
        if (v4.expanded != null && v6.expanded != null && !v4.expanded.equals(v6.expanded)) {
            // the same name cannot be two aliases: some answer is not what it claims
            return DnssecAddresses.failed(
                    DnssecStatus.BOGUS,
                    name,
                    "A and AAAA CNAME chains end at different names: "
                            + hostName(v4.expanded)
                            + ", "
                            + hostName(v6.expanded));
        }
        List<String> addresses = new ArrayList<>();
        for (Raw raw : List.of(v4, v6)) {
            for (Record record : raw.answer.records()) {
                addresses.add(record.rdataToString());
            }
        }
        DnssecAddresses answer = DnssecAddresses.of(status, name, expanded, addresses);
        long ttl = Math.min(ttl(v4.answer), ttl(v6.answer));
        cache.put(key, new Cached(answer, now.plusSeconds(ttl)));
        return answer;
    }

    /** A classified answer and where its CNAME chain ended (null when there was no answer). */
    private static final class Raw {
        final DnssecAnswer<Record> answer;
        final Name expanded;

        Raw(DnssecAnswer<Record> answer, Name expanded) {
            this.answer = answer;
            this.expanded = expanded;
        }
    }

    private Raw lookup(String name, int type) {
        Message response;
        try {
            Name qname = Name.fromString(name.endsWith(".") ? name : name + ".");
            Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
            if (!ownValidator) {
                query.getHeader().setFlag(Flags.AD); // RFC 6840 section 5.7
            }
            response = resolver.send(query);
        } catch (TextParseException e) {
            return new Raw(
                    DnssecAnswer.failed(DnssecStatus.ERROR, "not a DNS name: " + e.getMessage()),
                    null);
        } catch (IOException e) {
            return new Raw(
                    DnssecAnswer.failed(DnssecStatus.ERROR, "no answer for " + name + ": " + e),
                    null);
        }
        return classify(name, type, response);
    }

    private Raw classify(String name, int type, Message response) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            String why = reason(response);
            // a validator's SERVFAIL with a reason (dnsjava's, or an EDE in the DNSSEC range)
            // means the data is bogus; without one nothing can be concluded
            return new Raw(
                    DnssecAnswer.failed(
                            why.isEmpty() ? DnssecStatus.ERROR : DnssecStatus.BOGUS,
                            name
                                    + " "
                                    + Type.string(type)
                                    + ": "
                                    + Rcode.string(rcode)
                                    + (why.isEmpty() ? "" : ": " + why)),
                    null);
        }
        DnssecStatus status =
                response.getHeader().getFlag(Flags.AD)
                        ? DnssecStatus.SECURE
                        : DnssecStatus.INSECURE;
        // only records that answer the question (the name, or where its CNAMEs lead): dnsjava
        // 3.5.2 does not check (CVE-2024-25638)
        List<Record> answers = response.getSection(Section.ANSWER);
        Name owner = response.getQuestion() == null ? null : response.getQuestion().getName();
        for (int hops = 0; owner != null && hops < 8; hops++) {
            Name next = null;
            for (Record record : answers) {
                if (record instanceof CNAMERecord && record.getName().equals(owner)) {
                    next = ((CNAMERecord) record).getTarget();
                }
            }
            if (next == null) {
                break;
            }
            owner = next;
        }
        List<Record> records = new ArrayList<>();
        for (Record record : answers) {
            if (record.getType() == type && record.getName().equals(owner)) {
                records.add(record);
            }
        }
        return new Raw(DnssecAnswer.of(status, records), owner);
    }

    private static String reason(Message response) {
        for (Record record : response.getSection(Section.ADDITIONAL)) {
            if (record instanceof TXTRecord
                    && record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return String.join(" ", ((TXTRecord) record).getStrings());
            }
        }
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            for (EDNSOption option : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
                int code = ((ExtendedErrorCodeOption) option).getErrorCode();
                if (code >= ExtendedErrorCodeOption.UNSUPPORTED_DNSKEY_ALGORITHM
                        && code <= ExtendedErrorCodeOption.NSEC_MISSING
                        && code != ExtendedErrorCodeOption.STALE_ANSWER
                        && code != ExtendedErrorCodeOption.FORGED_ANSWER) {
                    return ExtendedErrorCodeOption.text(code);
                }
            }
        }
        return "";
    }

    private static String hostName(Name name) {
        String text = name.toString(true).toLowerCase(Locale.ROOT);
        return text.equals(".") ? "" : text;
    }

    private static String hostName(String name) {
        String text = name.toLowerCase(Locale.ROOT);
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static final class Cached {
        final Object answer;
        final Instant expires;

        Cached(Object answer, Instant expires) {
            this.answer = answer;
            this.expires = expires;
        }
    }
}
