package dev.mailsec.matchers.rights;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.rights.ProtectedPackage;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.ParseException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Matches a rights-protected wrapper made by {@code ProtectMessage}: a message whose own MIME tree
 * (not a message attached to it) holds a part of type {@code
 * application/vnd.mailsec.protected+json}, the protected package. The {@code X-Mailsec-Protected}
 * header alone does not count (anyone can write it); whether the package is genuine is decided when
 * it is opened. All recipients, or none.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.rights.IsRightsProtected" class="dev.mailsec.mailets.rights.DecryptRightsProtected">
 *     <onKeyStoreDown>rights-key-store-down</onKeyStoreDown>
 * </mailet>
 * }</pre>
 *
 * No condition. A message whose structure cannot be parsed does not match.
 */
public class IsRightsProtected extends GenericMatcher {

    /** The media type of the protected package ({@code ProtectedPackage.MEDIA_TYPE}). */
    public static final String MEDIA_TYPE = ProtectedPackage.MEDIA_TYPE;

    /** How deep nested multiparts are searched; a wrapper has the package at depth 1. */
    static final int MAX_DEPTH = 8;

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) throws MessagingException {
        return hasPackage(mail.getMessage(), 0) ? mail.getRecipients() : Collections.emptyList();
    }

    /** True if {@code part} is, or its multipart tree holds, a protected package. */
    public static boolean hasPackage(Part part, int depth) {
        try {
            String type = baseType(part.getContentType());
            if (MEDIA_TYPE.equals(type)) {
                return true;
            }
            if (depth >= MAX_DEPTH || !type.startsWith("multipart/")) {
                return false;
            }
            Object content = part.getContent();
            if (!(content instanceof Multipart)) {
                return false;
            }
            Multipart multipart = (Multipart) content;
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                if (hasPackage(child, depth + 1)) {
                    return true;
                }
            }
            return false;
        } catch (MessagingException | IOException e) {
            // a broken structure is no wrapper of ours
            return false;
        }
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return "text/plain";
        }
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return contentType.trim().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String getMatcherInfo() {
        return "IsRightsProtected: matches rights-protected wrapper messages";
    }
}
