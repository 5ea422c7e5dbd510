package dev.mailsec.dmarc;

import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.mail.DomainName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The DMARC engine (RFC 7489, DMARCbis where settled): one call, {@link #evaluate}, from a mailet,
 * an SMTP hook after DATA or the CLI. Thread-safe; shares only the TXT source (whose cache makes
 * repeated lookups cheap). Hostile input gets a verdict, never an exception; each evaluation asks
 * at most {@value DnsBudget#MAX_QUERIES} DNS names.
 */
public final class Dmarc {

    private final KeyRecordSource txt;
    private final DmarcSettings settings;

    /**
     * @param txt TXT lookups ({@code DnsKeyRecordSource} or {@code ZoneFileKeyRecordSource}: they
     *     are generic)
     */
    public Dmarc(KeyRecordSource txt, DmarcSettings settings) {
        this.txt = Objects.requireNonNull(txt);
        this.settings = Objects.requireNonNull(settings);
    }

    public DmarcSettings settings() {
        return settings;
    }

    /**
     * Evaluates one message. With several From domains each is evaluated and the strictest verdict
     * returned (RFC 7489 section 6.6.1).
     */
    public DmarcVerdict evaluate(DmarcInputs in) {
        FromDomains.Found from = FromDomains.of(in.fromFields);
        if (from.domains.isEmpty()) {
            return DmarcVerdict.withoutPolicy(
                    DmarcResult.PERMERROR, "", "", in.sourceIp, from.problem);
        }
        if (from.domains.size() > DmarcSettings.MAX_FROM_DOMAINS) {
            return DmarcVerdict.withoutPolicy(
                    DmarcResult.PERMERROR,
                    from.domains.get(0),
                    "",
                    in.sourceIp,
                    "more than " + DmarcSettings.MAX_FROM_DOMAINS + " From domains");
        }
        DnsBudget dns = new DnsBudget(txt);
        PolicyDiscovery discovery = new PolicyDiscovery(dns, settings.orgDomainMode);
        DmarcVerdict strictest = null;
        for (String domain : from.domains) {
            DmarcVerdict v = evaluate(domain, in, dns, discovery);
            if (strictest == null || stricter(v, strictest)) {
                strictest = v;
            }
        }
        return strictest;
    }

    /** Looks up and parses the record that applies to a domain (for the CLI's record command). */
    public Discovered discover(String domain) {
        String d =
                DomainName.normalize(domain, DomainName.Option.TRIM, DomainName.Option.IDN)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "not a domain name: '" + domain + "'"));
        PolicyDiscovery discovery = new PolicyDiscovery(new DnsBudget(txt), settings.orgDomainMode);
        PolicyDiscovery.Found f = discovery.discover(d);
        return new Discovered(
                d,
                discovery.orgDomain(d),
                f.status.name().toLowerCase(Locale.ROOT),
                f.record,
                f.recordDomain,
                f.detail);
    }

    /** What {@link #discover} found. */
    public static final class Discovered {
        public final String domain;
        public final String orgDomain;

        /** found, no_record, multiple, invalid, temperror. */
        public final String status;

        /** The record, null when none was found. */
        public final DmarcRecord record;

        public final String recordDomain;
        public final String detail;

        Discovered(
                String domain,
                String orgDomain,
                String status,
                DmarcRecord record,
                String recordDomain,
                String detail) {
            this.domain = domain;
            this.orgDomain = orgDomain;
            this.status = status;
            this.record = record;
            this.recordDomain = recordDomain;
            this.detail = detail;
        }
    }

    private DmarcVerdict evaluate(
            String fromDomain, DmarcInputs in, DnsBudget dns, PolicyDiscovery discovery) {
        PolicyDiscovery.Found found = discovery.discover(fromDomain);
        if (found.status == PolicyDiscovery.Status.TEMPERROR) {
            return DmarcVerdict.withoutPolicy(
                    DmarcResult.TEMPERROR, fromDomain, "", in.sourceIp, "DNS: " + found.detail);
        }
        String orgDomain = discovery.orgDomain(fromDomain);
        Aligner aligner = new Aligner(discovery, fromDomain, orgDomain);
        boolean strictDkim =
                found.record != null && found.record.isValid() && found.record.strictDkim();
        boolean strictSpf =
                found.record != null && found.record.isValid() && found.record.strictSpf();
        boolean dkimAligned = dkimAligned(in, aligner, strictDkim);
        boolean spfAligned =
                in.spfResult.equalsIgnoreCase("pass")
                        && in.spfScope.equalsIgnoreCase("mailfrom")
                        && aligner.aligned(in.spfDomain, strictSpf);
        switch (found.status) {
            case NO_RECORD:
            case MULTIPLE:
                return new DmarcVerdict(
                        DmarcResult.NONE,
                        fromDomain,
                        orgDomain,
                        "",
                        null,
                        DmarcPolicy.NONE,
                        DmarcOverride.NONE,
                        dkimAligned,
                        spfAligned,
                        "",
                        "",
                        in.sourceIp,
                        found.detail);
            case INVALID:
                return new DmarcVerdict(
                        DmarcResult.PERMERROR,
                        fromDomain,
                        orgDomain,
                        found.recordDomain,
                        null,
                        DmarcPolicy.NONE,
                        DmarcOverride.NONE,
                        dkimAligned,
                        spfAligned,
                        found.record.text(),
                        "",
                        in.sourceIp,
                        "invalid DMARC record: " + found.detail);
            default:
                break;
        }
        DmarcRecord record = found.record;
        DmarcPolicy policy = policy(record, fromDomain, found.recordDomain, dns);
        String rua = String.join(",", record.rua());
        if (dkimAligned || spfAligned) {
            return new DmarcVerdict(
                    DmarcResult.PASS,
                    fromDomain,
                    orgDomain,
                    found.recordDomain,
                    policy,
                    DmarcPolicy.NONE,
                    DmarcOverride.NONE,
                    dkimAligned,
                    spfAligned,
                    record.text(),
                    rua,
                    in.sourceIp,
                    "");
        }
        Dispositions.Outcome outcome =
                new Dispositions(settings).of(policy, record, fromDomain, orgDomain, in);
        return new DmarcVerdict(
                DmarcResult.FAIL,
                fromDomain,
                orgDomain,
                found.recordDomain,
                policy,
                outcome.disposition,
                outcome.override,
                false,
                false,
                record.text(),
                rua,
                in.sourceIp,
                outcome.why);
    }

    /** p at the From domain; sp below it, or np when the From domain does not exist. */
    private static DmarcPolicy policy(
            DmarcRecord record, String fromDomain, String recordDomain, DnsBudget dns) {
        if (recordDomain.equals(fromDomain)) {
            return record.p();
        }
        if (record.npTag().isPresent() && dns.nonExistent(fromDomain)) {
            return record.np();
        }
        return record.sp();
    }

    private boolean dkimAligned(DmarcInputs in, Aligner aligner, boolean strict) {
        Set<String> passing = new LinkedHashSet<>();
        for (DmarcInputs.Dkim d : in.dkim) {
            if (d.result.equalsIgnoreCase("pass") && !d.domain.isEmpty()) {
                passing.add(d.domain.toLowerCase(Locale.ROOT));
            }
        }
        List<String> checked = new ArrayList<>(passing);
        if (settings.orgDomainMode == OrgDomainMode.TREEWALK
                && checked.size() > DmarcSettings.MAX_ALIGNMENT_DOMAINS) {
            checked = checked.subList(0, DmarcSettings.MAX_ALIGNMENT_DOMAINS);
        }
        for (String d : checked) {
            if (aligner.aligned(d, strict)) {
                return true;
            }
        }
        return false;
    }

    /** Identifier alignment (RFC 7489 section 3.1) against one From domain. */
    private static final class Aligner {
        private final PolicyDiscovery discovery;
        private final String fromDomain;
        private final String orgDomain;

        Aligner(PolicyDiscovery discovery, String fromDomain, String orgDomain) {
            this.discovery = discovery;
            this.fromDomain = fromDomain;
            this.orgDomain = orgDomain;
        }

        boolean aligned(String domain, boolean strict) {
            String d =
                    DomainName.normalize(
                                    domain, DomainName.Option.TRIM, DomainName.Option.TRAILING_DOT)
                            .orElse(null);
            if (d == null) {
                return false;
            }
            if (d.equals(fromDomain)) {
                return true;
            }
            if (strict || orgDomain == null) {
                return false;
            }
            if (!d.endsWith("." + orgDomain) && !d.equals(orgDomain)) {
                return false; // no walk for a domain outside the From's org domain
            }
            String dOrg = discovery.orgDomain(d);
            return orgDomain.equals(dOrg);
        }
    }

    /** Strictest first: a harsher disposition, then fail > temperror > permerror > none > pass. */
    private static boolean stricter(DmarcVerdict a, DmarcVerdict b) {
        if (a.disposition() != b.disposition()) {
            return a.disposition().ordinal() > b.disposition().ordinal();
        }
        return severity(a.result()) > severity(b.result());
    }

    private static int severity(DmarcResult r) {
        switch (r) {
            case FAIL:
                return 4;
            case TEMPERROR:
                return 3;
            case PERMERROR:
                return 2;
            case NONE:
                return 1;
            default:
                return 0;
        }
    }
}
