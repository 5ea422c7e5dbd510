package dev.mailsec.authentication;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mailsec.authres.MethodResult;
import dev.mailsec.dkim.DkimAttributeNames;
import dev.mailsec.dkim.DkimAuthResults;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.shaded.bc.util.encoders.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/**
 * The verdicts an SMTP-time evaluation hands to the mailets, so that {@code VerifyDkim}, {@code
 * VerifySpf}, {@code VerifyArc} and {@code VerifyDmarc} write them instead of evaluating again: one
 * mail attribute ({@value #ATTRIBUTE}) in plain values (strings, lists, maps), holding per method
 * ({@value #DKIM}, {@value #SPF}, {@value #ARC}, {@value #DMARC}) its Authentication-Results
 * entries ({@value #AR}) and the value of its contract attribute ({@value #RESULT}; for DKIM also
 * {@value #FROM_DOMAIN}), and a {@value #FINGERPRINT} of the message the verdicts are about.
 *
 * <p>A sender cannot set mail attributes; what this guards against is our own pipeline: a mailet
 * takes its part only while the message's fingerprint (its header fields but those the mailets
 * themselves add or JavaMail normalises, and the body's size) is the one the hook saw, and removes
 * the part it took, so mail changed or reprocessed later is evaluated anew.
 */
public final class SmtpVerdicts {

    public static final String ATTRIBUTE = "dev.mailsec.authentication.smtpVerdicts";
    public static final String FINGERPRINT = "fingerprint";
    public static final String DKIM = "dkim";
    public static final String SPF = "spf";
    public static final String ARC = "arc";
    public static final String DMARC = "dmarc";
    public static final String AR = "ar";
    public static final String RESULT = "result";
    public static final String FROM_DOMAIN = "fromDomain";

    /**
     * Fields left out of the fingerprint: ours (the mailets add Authentication-Results), and those
     * JavaMail's saveChanges fills in when a mailet saves a header change (MIME-Version, a charset
     * in Content-Type, Content-Transfer-Encoding, a Message-ID or Date when there was none).
     */
    private static final List<String> UNFINGERPRINTED =
            List.of(
                    "authentication-results:",
                    "mime-version:",
                    "content-type:",
                    "content-transfer-encoding:",
                    "message-id:",
                    "date:");

    private SmtpVerdicts() {}

    /** The attribute's value for these verdicts of the message with this fingerprint. */
    public static Map<String, Object> of(Verdicts v, String fingerprint) {
        Map<String, Object> out = new HashMap<>();
        out.put(FINGERPRINT, fingerprint);
        DkimVerification d = v.dkim();
        List<Object> dkimResults = new ArrayList<>();
        for (DkimSignatureResult r : d.results()) {
            Map<String, String> m = new LinkedHashMap<>(r.toMap());
            m.put(DkimAttributeNames.ALIGNED_KEY, d.alignment(r).keyword());
            dkimResults.add(m);
        }
        Map<String, Object> dkim = part(DkimAuthResults.methodResults(d), dkimResults);
        d.fromDomain().ifPresent(f -> dkim.put(FROM_DOMAIN, f));
        out.put(DKIM, dkim);
        v.spf().ifPresent(s -> out.put(SPF, part(List.of(SpfMethodResult.of(s)), s.toMap())));
        // methodResults() is DKIM..., SPF, ARC, DMARC: ARC's (with smtp.remote-ip) is next to last
        List<MethodResult> all = v.methodResults();
        out.put(ARC, part(List.of(all.get(all.size() - 2)), v.arc().toMap()));
        out.put(DMARC, part(List.of(v.dmarc().methodResult()), v.dmarc().toMap()));
        return out;
    }

    private static Map<String, Object> part(List<MethodResult> results, Object attribute) {
        Map<String, Object> part = new HashMap<>();
        List<Object> ar = new ArrayList<>();
        results.forEach(r -> ar.add(toMap(r)));
        part.put(AR, ar);
        part.put(RESULT, attribute);
        return part;
    }

    /**
     * SHA-256 over the header lines (as a MimeMessage gives them, in order) less the fields named
     * above, and the body's size.
     */
    public static String fingerprint(Iterable<String> headerLines, long bodySize) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String line : headerLines) {
                if (UNFINGERPRINTED.stream()
                        .noneMatch(f -> line.regionMatches(true, 0, f, 0, f.length()))) {
                    sha.update(line.getBytes(UTF_8));
                    sha.update((byte) '\n');
                }
            }
            sha.update(Long.toString(bodySize).getBytes(UTF_8));
            return Hex.toHexString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** {@link #fingerprint(Iterable, long)} of a message as James holds it. */
    public static String fingerprint(MimeMessage m) throws MessagingException {
        return fingerprint(Collections.list(m.getAllHeaderLines()), m.getSize());
    }

    /** An A-R entry as strings: method, result, reason, p.N.ptype / p.N.name / p.N.value. */
    public static Map<String, String> toMap(MethodResult r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("result", r.result());
        if (r.reason() != null) {
            m.put("reason", r.reason());
        }
        List<MethodResult.Property> ps = r.properties();
        for (int i = 0; i < ps.size(); i++) {
            m.put("p." + i + ".ptype", ps.get(i).ptype());
            m.put("p." + i + ".name", ps.get(i).name());
            m.put("p." + i + ".value", ps.get(i).value());
        }
        return m;
    }

    /** Reads back {@link #toMap(MethodResult)}; empty when the map is not one. */
    public static Optional<MethodResult> methodResult(Map<String, String> m) {
        String method = m.get("method");
        String result = m.get("result");
        if (method == null || result == null) {
            return Optional.empty();
        }
        try {
            MethodResult.Builder b = MethodResult.builder(method, result);
            if (m.get("reason") != null) {
                b.reason(m.get("reason"));
            }
            for (int i = 0; m.containsKey("p." + i + ".ptype"); i++) {
                b.property(
                        m.get("p." + i + ".ptype"),
                        m.get("p." + i + ".name"),
                        m.get("p." + i + ".value"));
            }
            return Optional.of(b.build());
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
