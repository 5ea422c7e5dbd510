package dev.mailsec.smime;

import dev.mailsec.asn1.BerLimitException;
import dev.mailsec.asn1.BerLimits;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.cms.CMSProcessableByteArray;
import dev.mailsec.shaded.bc.cms.CMSSignedData;
import dev.mailsec.smime.internal.ByteScan;
import dev.mailsec.smime.internal.ContentType;
import dev.mailsec.smime.internal.CrlfOutputStream;
import dev.mailsec.smime.internal.MessageHead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What a signed message holds, taken apart: its header block, the signed entity (byte for byte) and
 * the CMS signed-data over it, from a detached {@code multipart/signed} (the entity canonicalised
 * to CRLF for checking) or an opaque signed-data. A message that is not signed, or whose parts
 * cannot be read, gives the {@link #verdict()} instead. Immutable.
 */
final class SignedEntity {
    final MessageHead head;
    final byte[] content;
    final CMSSignedData signed;
    private final SmimeVerification verdict;

    private SignedEntity(
            MessageHead head, byte[] content, CMSSignedData signed, SmimeVerification verdict) {
        this.head = head;
        this.content = content;
        this.signed = signed;
        this.verdict = verdict;
    }

    private static SignedEntity verdict(SmimeResult result, String reason) {
        return new SignedEntity(null, null, null, SmimeVerification.of(result, reason));
    }

    /** The verdict when there is nothing to check (not signed, or unreadable), else empty. */
    Optional<SmimeVerification> verdict() {
        return Optional.ofNullable(verdict);
    }

    /** Takes a message apart; never throws for what the message holds. */
    static SignedEntity read(byte[] message) {
        ByteArrayInputStream in = new ByteArrayInputStream(message);
        MessageHead head;
        try {
            head = MessageHead.read(in);
        } catch (IOException e) {
            return verdict(SmimeResult.PERMERROR, "unreadable header block");
        }
        int bodyStart = message.length - in.available();
        ContentType type = head.contentType();
        SmimeKind kind = SmimeMessages.classify(type);
        byte[] content;
        CMSSignedData signed;
        try {
            if (kind == SmimeKind.SIGNED_DETACHED) {
                Optional<String> boundary = type.parameter("boundary");
                if (boundary.isEmpty()) {
                    return verdict(SmimeResult.PERMERROR, "multipart/signed without a boundary");
                }
                List<byte[]> parts = MultipartSplitter.split(message, bodyStart, boundary.get());
                if (parts.size() != 2) {
                    return verdict(
                            SmimeResult.PERMERROR,
                            "multipart/signed with " + parts.size() + " parts, expected 2");
                }
                content = parts.get(0);
                byte[] signature = decodePart(parts.get(1));
                BerLimits.check(signature);
                signed =
                        new CMSSignedData(
                                new CMSProcessableByteArray(canonical(content)), signature);
            } else if (kind == SmimeKind.SIGNED_OPAQUE) {
                String cte = head.transferEncoding().orElse("7bit");
                byte[] body = Arrays.copyOfRange(message, bodyStart, message.length);
                byte[] der = "base64".equals(cte) ? Base64.getMimeDecoder().decode(body) : body;
                BerLimits.check(der);
                signed = new CMSSignedData(der);
                if (signed.getSignedContent() == null) {
                    return verdict(SmimeResult.PERMERROR, "opaque signed-data without content");
                }
                content = (byte[]) signed.getSignedContent().getContent();
            } else {
                return verdict(SmimeResult.NONE, null);
            }
            // Bouncy Castle parses SignerInfos and certificates on first use: do it here, inside
            // the catch
            signed.getSignerInfos();
            signed.getCertificates();
        } catch (BerLimitException e) {
            return verdict(SmimeResult.PERMERROR, "signature refused: " + e.getMessage());
        } catch (CMSException
                | IllegalArgumentException
                | IllegalStateException
                | ClassCastException
                | IOException e) {
            // IllegalStateException: Bouncy Castle's stream parser for malformed encodings (an
            // empty BIT STRING segment)
            return verdict(SmimeResult.PERMERROR, "malformed signature: " + brief(e));
        }
        return new SignedEntity(head, content, signed, null);
    }

    /** Writes the message without its signature: the outer fields, then the signed entity. */
    void writeUnwrapped(OutputStream out) throws IOException {
        head.writeOuterFields(out);
        out.write(content);
        out.flush();
    }

    private static byte[] decodePart(byte[] part) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(part);
        MessageHead head = MessageHead.read(in);
        byte[] body = in.readAllBytes();
        String cte = head.transferEncoding().orElse("7bit");
        return "base64".equals(cte) ? Base64.getMimeDecoder().decode(body) : body;
    }

    /**
     * The signed form is CRLF (RFC 8551 section 3.1.1); a store that kept bare LF gets them back.
     */
    private static byte[] canonical(byte[] content) throws IOException {
        boolean bareLf =
                content.length > 0
                        && (content[0] == '\n'
                                || ByteScan.nextBareLineFeed(content, 1, content.length) >= 0);
        if (!bareLf) {
            return content;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 20);
        try (OutputStream crlf = new CrlfOutputStream(out)) {
            crlf.write(content);
        }
        return out.toByteArray();
    }

    /** An exception's message, at most 120 characters, or its class name. */
    static String brief(Exception e) {
        String m = e.getMessage();
        return m == null
                ? e.getClass().getSimpleName()
                : (m.length() > 120 ? m.substring(0, 120) : m);
    }
}
