package dev.mailsec.mailets.rights;

import dev.mailsec.rights.ForwardingPolicy.Use;
import dev.mailsec.rights.ProtectedPackage;
import dev.mailsec.rights.RightsFormatException;
import dev.mailsec.rights.RightsHeaders;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What protected content a message may carry, found in its headers and attachments: Message-IDs and
 * licence ids, each with how the message uses it (forwards it, re-sends it, or refers to it).
 * Nothing found here is trusted: {@link EnforceRights} looks every id up in the rights store.
 */
final class CarriedContent {
    private static final Logger LOG = LoggerFactory.getLogger(CarriedContent.class);

    static final int MAX_DEPTH = 8;
    static final int MAX_IDS = 500;
    static final int MAX_PACKAGES = 10;

    private CarriedContent() {}

    /** Licence ids and Message-IDs the message carries or refers to, with how. */
    static Map<String, Use> evidence(MimeMessage message, List<ProtectedPackage> packages)
            throws MessagingException {
        Map<String, Use> ids = new LinkedHashMap<>();
        for (String id : RightsMail.messageIds(message.getHeader("Message-ID"))) {
            put(ids, id, Use.RESEND);
        }
        for (String id : licences(message.getHeader(RightsMarking.HEADER))) {
            put(ids, id, Use.RESEND);
        }
        for (String id : RightsMail.messageIds(message.getHeader("X-Forwarded-Message-Id"))) {
            put(ids, id, Use.FORWARD);
        }
        attachments(message, ids, packages, 0);
        for (String id : RightsMail.messageIds(message.getHeader("In-Reply-To"))) {
            put(ids, id, Use.REFERENCE);
        }
        for (String id : RightsMail.messageIds(message.getHeader("References"))) {
            put(ids, id, Use.REFERENCE);
        }
        return ids;
    }

    private static void attachments(
            Part part, Map<String, Use> ids, List<ProtectedPackage> packages, int depth) {
        if (depth > MAX_DEPTH || ids.size() > MAX_IDS) {
            // beyond MAX_IDS the whole message is refused anyway
            return;
        }
        try {
            String type = RightsMail.baseType(part.getContentType());
            if (type.equals(ProtectedPackage.MEDIA_TYPE) && depth > 0) {
                if (packages.size() < MAX_PACKAGES) {
                    try {
                        packages.add(ProtectedPackage.decode(RightsMail.decoded(part)));
                    } catch (RightsFormatException e) {
                        LOG.debug(
                                "EnforceRights: malformed package attachment ignored: {}",
                                e.getMessage());
                    }
                }
                return;
            }
            if (type.equals("message/rfc822") || type.equals("message/global")) {
                Object content = part.getContent();
                if (content instanceof MimeMessage) {
                    MimeMessage attached = (MimeMessage) content;
                    for (String id : RightsMail.messageIds(attached.getHeader("Message-ID"))) {
                        put(ids, id, Use.FORWARD);
                    }
                    for (String id : licences(attached.getHeader(RightsMarking.HEADER))) {
                        put(ids, id, Use.FORWARD);
                    }
                    attachments(attached, ids, packages, depth + 1);
                }
                return;
            }
            if (type.startsWith("multipart/")) {
                Object content = part.getContent();
                if (content instanceof Multipart) {
                    Multipart mp = (Multipart) content;
                    for (int i = 0; i < mp.getCount(); i++) {
                        attachments(mp.getBodyPart(i), ids, packages, depth + 1);
                    }
                }
            }
        } catch (MessagingException | IOException e) {
            // a part we cannot parse carries nothing we can recognise; the headers were still
            // checked
            LOG.debug("EnforceRights: unreadable part skipped: {}", e.getMessage());
        }
    }

    private static List<String> licences(String[] headers) {
        List<String> out = new ArrayList<>();
        if (headers != null) {
            for (String h : headers) {
                String id = RightsHeaders.licenceIdOf(h);
                if (id != null) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    static void put(Map<String, Use> ids, String id, Use use) {
        Use old = ids.get(id);
        if (old == null || use.ordinal() < old.ordinal()) {
            ids.put(id, use);
        }
    }
}
