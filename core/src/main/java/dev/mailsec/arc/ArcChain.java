package dev.mailsec.arc;

import dev.mailsec.dkim.internal.HeaderField;
import dev.mailsec.dkim.internal.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The ARC sets of a message, parsed and checked for structure (RFC 8617 sections 4.1 and 5.2 steps
 * 1 to 3) before any key is fetched: at most {@link #MAX_INSTANCES} sets, i= from 1 to N without
 * gaps, exactly one ARC-Authentication-Results, ARC-Message-Signature and ARC-Seal per instance,
 * the latest ARC-Seal not cv=fail, cv=none on instance 1 and cv=pass on the others. A chain that
 * breaks a rule is {@link #broken()} with the reason. Never throws; immutable.
 */
public final class ArcChain {
    /** RFC 8617 section 4.2.1: i= runs from 1 to 50. */
    public static final int MAX_INSTANCES = 50;

    private static final String AAR = "arc-authentication-results";
    private static final String AMS = "arc-message-signature";
    private static final String AS = "arc-seal";

    /** One complete ARC set. */
    static final class ArcSet {
        final int instance;
        final HeaderField aar;
        final ArcTags ams;
        final ArcTags seal;

        ArcSet(int instance, HeaderField aar, ArcTags ams, ArcTags seal) {
            this.instance = instance;
            this.aar = aar;
            this.ams = ams;
            this.seal = seal;
        }
    }

    private final List<ArcSet> sets;
    private final int highest;
    private final String problem;
    private final boolean endedByFail;
    private final List<String> sealers;
    private final List<String> aars;

    private ArcChain(
            List<ArcSet> sets,
            int highest,
            String problem,
            boolean endedByFail,
            List<String> sealers,
            List<String> aars) {
        this.sets = sets;
        this.highest = highest;
        this.problem = problem;
        this.endedByFail = endedByFail;
        this.sealers = sealers;
        this.aars = aars;
    }

    /** Reads the ARC sets among a message's header fields (top to bottom). */
    public static ArcChain parse(List<HeaderField> fields) {
        List<HeaderField> arc = new ArrayList<>();
        for (HeaderField f : fields) {
            String n = f.lowerName();
            if (n.equals(AAR) || n.equals(AMS) || n.equals(AS)) {
                arc.add(f);
            }
        }
        if (arc.isEmpty()) {
            return new ArcChain(List.of(), 0, null, false, List.of(), List.of());
        }
        if (arc.size() > 3 * MAX_INSTANCES) {
            return broken(
                    arc.size() / 3, "more than " + MAX_INSTANCES + " ARC sets", false, null, null);
        }
        HeaderField[] aar = new HeaderField[MAX_INSTANCES + 1];
        ArcTags[] ams = new ArcTags[MAX_INSTANCES + 1];
        ArcTags[] seal = new ArcTags[MAX_INSTANCES + 1];
        int highest = 0;
        for (HeaderField f : arc) {
            int i;
            try {
                switch (f.lowerName()) {
                    case AAR:
                        i = aarInstance(f);
                        if (aar[i] != null) {
                            throw duplicate(f, i);
                        }
                        aar[i] = f;
                        break;
                    case AMS:
                        ArcTags m = ArcTags.messageSignature(f);
                        i = m.instance;
                        if (ams[i] != null) {
                            throw duplicate(f, i);
                        }
                        ams[i] = m;
                        break;
                    default:
                        ArcTags s = ArcTags.seal(f);
                        i = s.instance;
                        if (seal[i] != null) {
                            throw duplicate(f, i);
                        }
                        seal[i] = s;
                        break;
                }
            } catch (Verdict v) {
                return broken(highest, v.reason(), false, seal, aar);
            }
            highest = Math.max(highest, i);
        }
        for (int i = 1; i <= highest; i++) {
            if (aar[i] == null || ams[i] == null || seal[i] == null) {
                return broken(highest, "ARC set " + i + " is incomplete", false, seal, aar);
            }
        }
        if (seal[highest].cv == ArcResult.FAIL) {
            return broken(highest, "ARC-Seal " + highest + " reports cv=fail", true, seal, aar);
        }
        for (int i = 1; i <= highest; i++) {
            ArcResult expected = i == 1 ? ArcResult.NONE : ArcResult.PASS;
            if (seal[i].cv != expected) {
                return broken(
                        highest,
                        "ARC-Seal " + i + " has cv=" + seal[i].cv.keyword(),
                        false,
                        seal,
                        aar);
            }
        }
        List<ArcSet> sets = new ArrayList<>(highest);
        for (int i = 1; i <= highest; i++) {
            sets.add(new ArcSet(i, aar[i], ams[i], seal[i]));
        }
        return new ArcChain(
                Collections.unmodifiableList(sets),
                highest,
                null,
                false,
                sealers(highest, seal),
                aarTexts(highest, aar));
    }

    private static ArcChain broken(
            int highest, String problem, boolean endedByFail, ArcTags[] seal, HeaderField[] aar) {
        int n = seal == null ? 0 : highest;
        return new ArcChain(
                List.of(),
                Math.max(1, highest),
                problem,
                endedByFail,
                sealers(n, seal),
                aarTexts(n, aar));
    }

    private static Verdict duplicate(HeaderField f, int i) {
        return Verdict.permerror("two " + f.name() + " fields for instance " + i);
    }

    /** The i= of an ARC-Authentication-Results value: {@code [FWS] i [FWS] = [FWS] N [FWS] ;}. */
    static int aarInstance(HeaderField f) throws Verdict {
        if (f.raw().length() > ArcTags.MAX_FIELD_CHARS) {
            throw Verdict.permerror("ARC-Authentication-Results field too long");
        }
        String v = f.unfoldedValue();
        int semi = v.indexOf(';');
        int eq = v.indexOf('=');
        if (semi < 0 || eq < 0 || eq > semi || !v.substring(0, eq).trim().equals("i")) {
            throw Verdict.permerror("ARC-Authentication-Results without i= first");
        }
        return ArcTags.instance(v.substring(eq + 1, semi).trim());
    }

    /** The text of an AAR after {@code i=N;}, unfolded and trimmed. */
    static String aarText(HeaderField f) {
        String v = f.unfoldedValue();
        return v.substring(v.indexOf(';') + 1).trim();
    }

    private static List<String> sealers(int n, ArcTags[] seal) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(seal[i] == null ? "" : seal[i].domain);
        }
        return Collections.unmodifiableList(out);
    }

    private static List<String> aarTexts(int n, HeaderField[] aar) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(aar[i] == null ? "" : aarText(aar[i]));
        }
        return Collections.unmodifiableList(out);
    }

    /** No ARC field at all: {@code arc=none}. */
    public boolean isEmpty() {
        return highest == 0;
    }

    /** Why the structure fails, or null when it is sound (or empty). */
    public String problem() {
        return problem;
    }

    public boolean broken() {
        return problem != null;
    }

    /** The latest ARC-Seal says cv=fail: the chain ended, nobody seals it again. */
    public boolean endedByFail() {
        return endedByFail;
    }

    /** N, the highest instance seen (at least 1 for a broken chain, 0 for none). */
    public int instances() {
        return highest;
    }

    /** The d= of ARC-Seal 1..N ("" where unknown); empty when the structure broke early. */
    public List<String> sealers() {
        return sealers;
    }

    /** The AAR texts after {@code i=N;} of instances 1..N ("" where missing). */
    public List<String> aars() {
        return aars;
    }

    /** The sets 1..N of a sound chain; empty otherwise. */
    List<ArcSet> sets() {
        return sets;
    }
}
