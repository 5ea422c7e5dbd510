package dev.mailsec.spf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed SPF record (RFC 7208 section 4.6): its directives in order and the {@code redirect} and
 * {@code exp} modifiers. The whole record is checked before anything is evaluated: any syntax
 * error, an unknown mechanism, a repeated {@code redirect}/{@code exp} or a bad macro is a {@link
 * SpfSyntaxException} (permerror, section 4.6). Unknown modifiers are checked and then ignored
 * (section 6).
 */
public final class SpfRecord {

    /** Records longer than this are refused (DNS allows 64 KB; RFC 7208 section 3.4 asks 450). */
    public static final int MAX_LENGTH = 16 * 1024;

    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*)=(.*)");
    private static final Pattern MECHANISM =
            Pattern.compile("([+?~-]?)([A-Za-z][A-Za-z0-9._-]*)(.*)");
    private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)((?:/[0-9]+)?(?://[0-9]+)?)");
    private static final Pattern IP6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern CIDR_LENGTH = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern IP4 =
            Pattern.compile(
                    "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\.){3}"
                            + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])");

    private final List<Mechanism> mechanisms;
    private final String redirect;
    private final String exp;

    private SpfRecord(List<Mechanism> mechanisms, String redirect, String exp) {
        this.mechanisms = Collections.unmodifiableList(mechanisms);
        this.redirect = redirect;
        this.exp = exp;
    }

    /** Whether a TXT string is an SPF record: {@code v=spf1} followed by a space or the end. */
    public static boolean isSpfRecord(String txt) {
        return txt.length() >= 6
                && txt.regionMatches(true, 0, "v=spf1", 0, 6)
                && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    /** Parses a record that {@link #isSpfRecord} accepted. */
    public static SpfRecord parse(String txt) throws SpfSyntaxException {
        if (txt.length() > MAX_LENGTH) {
            throw new SpfSyntaxException("record longer than " + MAX_LENGTH + " characters");
        }
        if (!isSpfRecord(txt)) {
            throw new SpfSyntaxException("not an SPF record");
        }
        for (int i = 0; i < txt.length(); i++) {
            char c = txt.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new SpfSyntaxException("non-ASCII or control character in record");
            }
        }
        List<Mechanism> mechanisms = new ArrayList<>();
        String redirect = null;
        String exp = null;
        for (String term : txt.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher mod = MODIFIER.matcher(term);
            if (mod.matches()) {
                String name = mod.group(1).toLowerCase(Locale.ROOT);
                String value = mod.group(2);
                if (name.equals("redirect") || name.equals("exp")) {
                    if ((name.equals("redirect") ? redirect : exp) != null) {
                        throw new SpfSyntaxException("repeated modifier " + name);
                    }
                    MacroSyntax.checkDomainSpec(value, term);
                    if (name.equals("redirect")) {
                        redirect = value;
                    } else {
                        exp = value;
                    }
                } else {
                    MacroSyntax.checkMacroString(value, false, term);
                }
                continue;
            }
            mechanisms.add(mechanism(term));
        }
        return new SpfRecord(mechanisms, redirect, exp);
    }

    public List<String> directives() {
        List<String> out = new ArrayList<>();
        for (Mechanism m : mechanisms) {
            out.add(m.text);
        }
        return out;
    }

    List<Mechanism> mechanisms() {
        return mechanisms;
    }

    /** The unexpanded {@code redirect=} domain-spec, or null. */
    public String redirect() {
        return redirect;
    }

    /** The unexpanded {@code exp=} domain-spec, or null. */
    public String exp() {
        return exp;
    }

    boolean hasAll() {
        for (Mechanism m : mechanisms) {
            if (m.kind == Mechanism.Kind.ALL) {
                return true;
            }
        }
        return false;
    }

    private static Mechanism mechanism(String term) throws SpfSyntaxException {
        Matcher m = MECHANISM.matcher(term);
        if (!m.matches()) {
            throw new SpfSyntaxException("bad term '" + term + "'");
        }
        SpfResult.Code q = qualifier(m.group(1));
        String name = m.group(2).toLowerCase(Locale.ROOT);
        String rest = m.group(3);
        switch (name) {
            case "all":
                if (!rest.isEmpty()) {
                    throw new SpfSyntaxException("bad term '" + term + "'");
                }
                return new Mechanism(q, Mechanism.Kind.ALL, null, null, 32, 128, term);
            case "include":
            case "exists":
                if (!rest.startsWith(":") || rest.length() == 1) {
                    throw new SpfSyntaxException(name + " needs a domain: '" + term + "'");
                }
                MacroSyntax.checkDomainSpec(rest.substring(1), term);
                return new Mechanism(
                        q,
                        name.equals("include") ? Mechanism.Kind.INCLUDE : Mechanism.Kind.EXISTS,
                        rest.substring(1),
                        null,
                        32,
                        128,
                        term);
            case "ptr":
                return new Mechanism(
                        q, Mechanism.Kind.PTR, optionalDomain(rest, term), null, 32, 128, term);
            case "a":
            case "mx":
                return addressMechanism(q, name, rest, term);
            case "ip4":
            case "ip6":
                return ipMechanism(q, name, rest, term);
            default:
                throw new SpfSyntaxException("unknown mechanism '" + term + "'");
        }
    }

    private static Mechanism addressMechanism(
            SpfResult.Code q, String name, String rest, String term) throws SpfSyntaxException {
        Matcher c = DUAL_CIDR.matcher(rest);
        if (!c.matches()) {
            throw new SpfSyntaxException("bad term '" + term + "'");
        }
        String cidr = c.group(2);
        int cidr4 = 32;
        int cidr6 = 128;
        int dual = cidr.indexOf("//");
        String four = dual < 0 ? cidr : cidr.substring(0, dual);
        if (!four.isEmpty()) {
            cidr4 = cidrLength(four.substring(1), 32, term);
        }
        if (dual >= 0) {
            cidr6 = cidrLength(cidr.substring(dual + 2), 128, term);
        }
        String domain = optionalDomain(c.group(1), term);
        return new Mechanism(
                q,
                name.equals("a") ? Mechanism.Kind.A : Mechanism.Kind.MX,
                domain,
                null,
                cidr4,
                cidr6,
                term);
    }

    private static Mechanism ipMechanism(SpfResult.Code q, String name, String rest, String term)
            throws SpfSyntaxException {
        if (!rest.startsWith(":")) {
            throw new SpfSyntaxException(name + " needs an address: '" + term + "'");
        }
        String value = rest.substring(1);
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        boolean four = name.equals("ip4");
        int max = four ? 32 : 128;
        int cidr = slash < 0 ? max : cidrLength(value.substring(slash + 1), max, term);
        InetAddress network;
        if (four) {
            if (!IP4.matcher(address).matches()) {
                throw new SpfSyntaxException("bad IPv4 address in '" + term + "'");
            }
            network = literal(address, term);
        } else {
            if (!IP6_CHARS.matcher(address).matches() || address.indexOf(':') < 0) {
                throw new SpfSyntaxException("bad IPv6 address in '" + term + "'");
            }
            network = literal(address, term);
        }
        return new Mechanism(
                q,
                four ? Mechanism.Kind.IP4 : Mechanism.Kind.IP6,
                null,
                network,
                four ? cidr : 32,
                four ? 128 : cidr,
                term);
    }

    private static InetAddress literal(String address, String term) throws SpfSyntaxException {
        try {
            // a literal only: the patterns above exclude anything InetAddress would resolve
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new SpfSyntaxException("bad address in '" + term + "'");
        }
    }

    private static String optionalDomain(String rest, String term) throws SpfSyntaxException {
        if (rest.isEmpty()) {
            return null;
        }
        if (!rest.startsWith(":") || rest.length() == 1) {
            throw new SpfSyntaxException("bad term '" + term + "'");
        }
        MacroSyntax.checkDomainSpec(rest.substring(1), term);
        return rest.substring(1);
    }

    /** RFC 7208 ABNF: "0" or a number without leading zero, at most {@code max}. */
    private static int cidrLength(String digits, int max, String term) throws SpfSyntaxException {
        if (!CIDR_LENGTH.matcher(digits).matches() || Integer.parseInt(digits) > max) {
            throw new SpfSyntaxException("bad CIDR length in '" + term + "'");
        }
        return Integer.parseInt(digits);
    }

    private static SpfResult.Code qualifier(String q) {
        switch (q) {
            case "-":
                return SpfResult.Code.FAIL;
            case "~":
                return SpfResult.Code.SOFTFAIL;
            case "?":
                return SpfResult.Code.NEUTRAL;
            default:
                return SpfResult.Code.PASS;
        }
    }
}
