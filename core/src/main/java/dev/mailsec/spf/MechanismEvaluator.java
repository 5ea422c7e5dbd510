package dev.mailsec.spf;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Whether one mechanism matches (RFC 7208 section 5), against the record's domain. */
final class MechanismEvaluator {

    private final Evaluation ev;
    private final String domain;

    MechanismEvaluator(Evaluation ev, String domain) {
        this.ev = ev;
        this.domain = domain;
    }

    boolean matches(Mechanism m) throws SpfAbort {
        if (m.kind.countsAsLookup()) {
            ev.countLookup(m.text);
        }
        switch (m.kind) {
            case ALL:
                return true;
            case IP4:
            case IP6:
                return DomainNames.inNetwork(ev.ip, m.network, cidr(m));
            case INCLUDE:
                return include(m);
            case A:
                return a(m);
            case MX:
                return mx(m);
            case PTR:
                return ptr(m);
            default:
                return exists(m);
        }
    }

    private int cidr(Mechanism m) {
        return ev.ip.getAddress().length == 4 ? m.cidr4 : m.cidr6;
    }

    private String target(Mechanism m) throws SpfAbort {
        return m.domainSpec == null ? domain : ev.targetName(m.domainSpec, domain);
    }

    /** Section 5.2: pass matches; fail, softfail, neutral do not; none is a permerror. */
    private boolean include(Mechanism m) throws SpfAbort {
        String target = target(m);
        if (target == null) {
            throw SpfAbort.permerror(m.text + ": not a domain name");
        }
        Evaluation.Outcome included = ev.checkHost(target);
        switch (included.code) {
            case PASS:
                return true;
            case NONE:
                throw SpfAbort.permerror(m.text + ": no SPF record at " + target);
            default:
                return false;
        }
    }

    /** Section 5.3: the client's address among the A or AAAA records of the target. */
    private boolean a(Mechanism m) throws SpfAbort {
        String target = target(m);
        if (target == null) {
            return false;
        }
        SpfDns.Answer answer = ev.query(target, ev.addressType());
        failOnTemporary(answer, m, target);
        ev.countVoid(answer, m.text);
        return matchesAny(answer, m, target);
    }

    /** Section 5.4: the addresses of at most 10 MX names; more names is a permerror. */
    private boolean mx(Mechanism m) throws SpfAbort {
        String target = target(m);
        if (target == null) {
            return false;
        }
        SpfDns.Answer answer = ev.query(target, SpfDns.Type.MX);
        failOnTemporary(answer, m, target);
        ev.countVoid(answer, m.text);
        if (answer.data().size() > ev.limits.names()) {
            throw SpfAbort.permerror(
                    m.text + ": more than " + ev.limits.names() + " MX names at " + target);
        }
        for (String exchange : answer.data()) {
            if (!DomainNames.isQueryable(exchange)) {
                continue;
            }
            SpfDns.Answer addresses = ev.query(exchange, ev.addressType());
            failOnTemporary(addresses, m, exchange);
            if (matchesAny(addresses, m, exchange)) {
                return true;
            }
        }
        return false;
    }

    /** Section 5.5: a validated name of the client equal to or under the target. */
    private boolean ptr(Mechanism m) throws SpfAbort {
        String target = target(m);
        if (target == null) {
            return false;
        }
        String suffix = "." + target.toLowerCase(Locale.ROOT);
        for (String name : validatedNames()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals(target.toLowerCase(Locale.ROOT)) || n.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Section 5.5: names from the PTR records (the first 10) whose addresses hold the client's; a
     * DNS error on a PTR or address lookup only skips it.
     */
    List<String> validatedNames() throws SpfAbort {
        SpfDns.Answer ptr = ev.query(DomainNames.reverseName(ev.ip), SpfDns.Type.PTR);
        List<String> out = new ArrayList<>();
        if (ptr.status() == SpfDns.Status.TEMPORARY_FAILURE) {
            return out;
        }
        ev.countVoid(ptr, "ptr");
        List<String> names = ptr.data();
        for (String name : names.subList(0, Math.min(names.size(), ev.limits.names()))) {
            if (!DomainNames.isQueryable(name)) {
                continue;
            }
            SpfDns.Answer addresses = ev.query(name, ev.addressType());
            for (InetAddress a : ev.addresses(name, addresses)) {
                if (a.equals(ev.ip)) {
                    out.add(name);
                    break;
                }
            }
        }
        return out;
    }

    /** Section 5.7: any A record at the target (always A, whatever the client's family). */
    private boolean exists(Mechanism m) throws SpfAbort {
        String target = target(m);
        if (target == null) {
            return false;
        }
        SpfDns.Answer answer = ev.query(target, SpfDns.Type.A);
        failOnTemporary(answer, m, target);
        ev.countVoid(answer, m.text);
        return answer.status() == SpfDns.Status.FOUND;
    }

    private boolean matchesAny(SpfDns.Answer answer, Mechanism m, String name) {
        for (InetAddress a : ev.addresses(name, answer)) {
            if (DomainNames.inNetwork(ev.ip, a, cidr(m))) {
                return true;
            }
        }
        return false;
    }

    private static void failOnTemporary(SpfDns.Answer answer, Mechanism m, String name)
            throws SpfAbort {
        if (answer.status() == SpfDns.Status.TEMPORARY_FAILURE) {
            throw SpfAbort.temperror(
                    "DNS " + answer.detail() + " for " + name + " (" + m.text + ")");
        }
    }
}
