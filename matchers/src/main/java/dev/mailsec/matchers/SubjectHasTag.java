package dev.mailsec.matchers;

import dev.mailsec.guard.PerMailGuard;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches mail whose subject starts with a tag such as {@code [encrypt]}, the way a reader sees it:
 * without regard to case, after any run of reply and forward prefixes ({@code Re:}, {@code Fwd:},
 * {@code AW:}, {@code WG:}, {@code SV:}, {@code Re[2]:}, ...), with MIME encoded words decoded,
 * Unicode compatibility forms folded ({@code ［ＥＮＣＲＹＰＴ］}) and whitespace ignored ({@code [ encrypt
 * ]}). Every {@code Subject:} field counts. All recipients, or none.
 *
 * <p>James's {@code SubjectStartsWith} is case-sensitive and anchored at the first character, so
 * {@code [ENCRYPT]} or {@code Re: [encrypt]} stepped around a protection rule built on it.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.SubjectHasTag=[encrypt]" class="dev.mailsec.mailets.rights.ProtectMessage">
 *     <template>encrypt-only</template>
 * </mailet>
 * }</pre>
 *
 * The condition is one tag or a comma-separated list of tags (any one matches); an empty condition
 * or an empty tag fails the start.
 */
public class SubjectHasTag extends GenericMatcher {

    /**
     * Reply and forward prefixes of common mail clients and languages (en, de, nl, nordic, fr, es,
     * it, pt, pl, cs, tr, el, zh), each optionally numbered ({@code Re[2]:}, {@code Re(2):}).
     */
    private static final Pattern PREFIX =
            Pattern.compile(
                    "^(?:re|fw|fwd|aw|wg|sv|vs|vb|antw|doorst|tr|rv|enc|res|rif|i|r|odp|pd|fs|ynt|ilt|απ|σχετ|πρθ|回复|转发|答复|回覆|轉寄)"
                            + "(?:\\[\\d{1,6}]|\\(\\d{1,6}\\))?[:：]");

    /** Subjects are short; a longer field is read up to here (a tag is at its start). */
    private static final int MAX_SUBJECT = 16 * 1024;

    private List<String> tags;

    @Override
    public void init() throws MessagingException {
        tags =
                Conditions.read(
                        "SubjectHasTag",
                        getCondition(),
                        c -> {
                            List<String> list = new ArrayList<>();
                            for (String tag :
                                    c.required("name a tag", "[encrypt]")
                                            .values("tag", v -> !normalise(v).isEmpty())) {
                                list.add(normalise(tag));
                            }
                            return List.copyOf(list);
                        });
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) throws MessagingException {
        String[] subjects = mail.getMessage().getHeader("Subject");
        if (subjects == null) {
            return Collections.emptyList();
        }
        for (String raw : subjects) {
            String subject = withoutPrefixes(normalise(HeaderText.decode(raw, MAX_SUBJECT)));
            for (String tag : tags) {
                if (subject.startsWith(tag)) {
                    return mail.getRecipients();
                }
            }
        }
        return Collections.emptyList();
    }

    /**
     * Compatibility-folded (NFKC: full-width letters and brackets become ASCII), lower case,
     * without whitespace or invisible format characters (zero-width spaces).
     */
    static String normalise(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(folded.length());
        folded.codePoints()
                .filter(
                        c ->
                                !Character.isWhitespace(c)
                                        && !Character.isSpaceChar(c)
                                        && Character.getType(c) != Character.FORMAT)
                .forEach(sb::appendCodePoint);
        return sb.toString();
    }

    static String withoutPrefixes(String subject) {
        String s = subject;
        while (true) {
            Matcher m = PREFIX.matcher(s);
            if (!m.find()) {
                return s;
            }
            s = s.substring(m.end());
        }
    }

    @Override
    public String getMatcherInfo() {
        return "SubjectHasTag: matches mail whose subject starts with a tag, after reply and forward prefixes, in any case";
    }
}
