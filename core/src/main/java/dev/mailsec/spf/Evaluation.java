package dev.mailsec.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One run of check_host() (RFC 7208 section 4) with its counters; made per check, never shared.
 * Mechanisms themselves live in {@link MechanismEvaluator}.
 */
final class Evaluation implements MacroExpander.Context {

    /** What a record evaluated to, and the record and domain its explanation comes from. */
    static final class Outcome {
        final SpfResult.Code code;
        final String reason;
        final SpfRecord record;
        final String domain;

        Outcome(SpfResult.Code code, String reason, SpfRecord record, String domain) {
            this.code = code;
            this.reason = reason;
            this.record = record;
            this.domain = domain;
        }
    }

    final SpfDns dns;
    final SpfLimits limits;
    final InetAddress ip;
    final String sender;
    final String localPart;
    final String senderDomain;
    final String helo;
    private final Clock clock;
    private final long deadline;
    private final List<String> log = new ArrayList<>();
    private int lookups;
    private int voids;
    private int queries;
    private String currentDomain;
    private String validatedName;

    Evaluation(
            SpfDns dns, SpfLimits limits, Clock clock, InetAddress ip, String sender, String helo) {
        this.dns = dns;
        this.limits = limits;
        this.clock = clock;
        this.deadline = clock.millis() + limits.total().toMillis();
        this.ip = ip;
        this.sender = sender;
        int at = sender.lastIndexOf('@');
        this.localPart = at <= 0 ? "postmaster" : sender.substring(0, at);
        this.senderDomain = sender.substring(at + 1);
        this.helo = helo == null ? "" : helo;
    }

    List<String> log() {
        return log;
    }

    /** check_host(ip, domain, sender) for one record and whatever it includes or redirects to. */
    Outcome checkHost(String domain) throws SpfAbort {
        SpfDns.Answer txt = query(domain, SpfDns.Type.TXT);
        if (txt.status() == SpfDns.Status.TEMPORARY_FAILURE) {
            throw SpfAbort.temperror("DNS " + txt.detail() + " for TXT " + domain);
        }
        List<String> spf = new ArrayList<>();
        for (String record : txt.data()) {
            if (SpfRecord.isSpfRecord(record)) {
                spf.add(record);
            }
        }
        if (spf.isEmpty()) {
            return new Outcome(SpfResult.Code.NONE, "no SPF record at " + domain, null, domain);
        }
        if (spf.size() > 1) {
            throw SpfAbort.permerror("more than one SPF record at " + domain);
        }
        SpfRecord record;
        try {
            record = ParsedSpfRecords.parse(spf.get(0));
        } catch (SpfSyntaxException e) {
            throw SpfAbort.permerror(domain + ": " + e.getMessage());
        }
        MechanismEvaluator mechanisms = new MechanismEvaluator(this, domain);
        for (Mechanism m : record.mechanisms()) {
            if (mechanisms.matches(m)) {
                return new Outcome(
                        m.qualifier, "matched " + m.text + " at " + domain, record, domain);
            }
        }
        if (record.redirect() != null && !record.hasAll()) {
            countLookup("redirect=" + record.redirect());
            String target = targetName(record.redirect(), domain);
            Outcome redirected = target == null ? null : checkHost(target);
            if (redirected == null || redirected.code == SpfResult.Code.NONE) {
                throw SpfAbort.permerror(
                        "redirect=" + record.redirect() + " at " + domain + " names no SPF record");
            }
            return redirected;
        }
        return new Outcome(
                SpfResult.Code.NEUTRAL, "no mechanism matched at " + domain, record, domain);
    }

    /** The explanation of a fail (section 6.2); errors give the default explanation. */
    String explanation(Outcome outcome) {
        if (outcome.record != null && outcome.record.exp() != null) {
            try {
                String target = targetName(outcome.record.exp(), outcome.domain);
                SpfDns.Answer txt = target == null ? null : query(target, SpfDns.Type.TXT);
                if (txt != null && txt.data().size() == 1) {
                    return MacroExpander.expandOrAbort(
                            txt.data().get(0), true, contextFor(outcome.domain));
                }
            } catch (SpfAbort | SpfSyntaxException e) {
                // no usable explanation (section 6.2): fall back to the default
            }
        }
        try {
            return MacroExpander.expandOrAbort(
                    limits.defaultExplanation(), true, contextFor(outcome.domain));
        } catch (SpfAbort | SpfSyntaxException e) {
            return "";
        }
    }

    private MacroExpander.Context contextFor(String domain) {
        currentDomain = domain;
        return this;
    }

    /**
     * Expands a domain-spec against the current domain and makes it a query name: cut from the left
     * to 253 characters (section 7.3); null when the result is no usable name.
     */
    String targetName(String domainSpec, String domain) throws SpfAbort {
        String name;
        try {
            name = MacroExpander.expandOrAbort(domainSpec, false, contextFor(domain));
        } catch (SpfSyntaxException e) {
            throw SpfAbort.permerror(e.getMessage());
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        while (name.length() > 253 && name.indexOf('.') >= 0) {
            name = name.substring(name.indexOf('.') + 1);
        }
        return DomainNames.isQueryable(name) ? name : null;
    }

    /** A DNS-querying term (section 4.6.4): more than the limit is a permerror. */
    void countLookup(String term) throws SpfAbort {
        if (++lookups > limits.lookups()) {
            throw SpfAbort.permerror(
                    "more than " + limits.lookups() + " DNS lookups (" + term + ")");
        }
    }

    /** A void answer to a term's query (section 4.6.4): more than the limit is a permerror. */
    void countVoid(SpfDns.Answer answer, String term) throws SpfAbort {
        if (answer.isVoid() && ++voids > limits.voidLookups()) {
            throw SpfAbort.permerror(
                    "more than " + limits.voidLookups() + " void lookups (" + term + ")");
        }
    }

    /** Every DNS question goes through here: the time and query bounds, and the log. */
    SpfDns.Answer query(String name, SpfDns.Type type) throws SpfAbort {
        if (clock.millis() > deadline) {
            throw SpfAbort.temperror("SPF check took longer than " + limits.total());
        }
        if (++queries > limits.queries()) {
            throw SpfAbort.permerror("more than " + limits.queries() + " DNS queries");
        }
        SpfDns.Answer answer = dns.query(name.toLowerCase(Locale.ROOT), type);
        log.add(
                type
                        + " "
                        + name
                        + ": "
                        + answer.status()
                        + (answer.status() == SpfDns.Status.FOUND ? " " + answer.data() : ""));
        return answer;
    }

    /** Addresses of a name for the client's family; errors and void answers give none. */
    List<InetAddress> addresses(String name, SpfDns.Answer answer) {
        List<InetAddress> out = new ArrayList<>();
        for (String a : answer.data()) {
            InetAddress parsed = DomainNames.addressLiteral(a);
            if (parsed != null) {
                out.add(parsed);
            }
        }
        return out;
    }

    SpfDns.Type addressType() {
        return ip instanceof Inet4Address ? SpfDns.Type.A : SpfDns.Type.AAAA;
    }

    @Override
    public String sender() {
        return sender;
    }

    @Override
    public String localPart() {
        return localPart;
    }

    @Override
    public String senderDomain() {
        return senderDomain;
    }

    @Override
    public String domain() {
        return currentDomain;
    }

    @Override
    public InetAddress ip() {
        return ip;
    }

    @Override
    public String helo() {
        return helo;
    }

    @Override
    public String receiver() {
        return limits.receiver();
    }

    @Override
    public long timestamp() {
        return clock.millis() / 1000;
    }

    @Override
    public String validatedName() throws SpfAbort {
        if (validatedName == null) {
            List<String> names = new MechanismEvaluator(this, currentDomain).validatedNames();
            validatedName = "unknown";
            for (String n : names) {
                if (n.equalsIgnoreCase(currentDomain)
                        || n.toLowerCase(Locale.ROOT)
                                .endsWith("." + currentDomain.toLowerCase(Locale.ROOT))) {
                    validatedName = n;
                    break;
                }
            }
            if (validatedName.equals("unknown") && !names.isEmpty()) {
                validatedName = names.get(0);
            }
        }
        return validatedName;
    }

    static InetAddress parseIp(String text) throws UnknownHostException {
        InetAddress a = DomainNames.addressLiteral(text);
        if (a == null) {
            throw new UnknownHostException("not an IP address: " + text);
        }
        return a;
    }
}
