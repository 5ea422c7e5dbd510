package dev.mailsec.smime;

import dev.mailsec.smime.internal.ContentType;
import java.util.Locale;
import java.util.Optional;

/** Recognises S/MIME messages by their top-level Content-Type (RFC 8551 section 3.9). */
public final class SmimeMessages {

    private SmimeMessages() {}

    /** Classifies a Content-Type header value; {@code null} counts as none. */
    public static SmimeKind classify(String contentTypeHeader) {
        if (contentTypeHeader == null) {
            return SmimeKind.NONE;
        }
        return classify(ContentType.parse(contentTypeHeader));
    }

    static SmimeKind classify(ContentType type) {
        if (type.is("multipart/signed")) {
            String protocol = type.parameter("protocol").orElse("").toLowerCase(Locale.ROOT);
            return protocol.equals("application/pkcs7-signature")
                            || protocol.equals("application/x-pkcs7-signature")
                    ? SmimeKind.SIGNED_DETACHED
                    : SmimeKind.NONE;
        }
        if (isPkcs7Mime(type)) {
            Optional<String> smimeType =
                    type.parameter("smime-type").map(s -> s.toLowerCase(Locale.ROOT));
            if (smimeType.isPresent()) {
                if (smimeType.get().equals("signed-data")) {
                    return SmimeKind.SIGNED_OPAQUE;
                }
                if (smimeType.get().equals("enveloped-data")
                        || smimeType.get().equals("authenveloped-data")) {
                    return SmimeKind.ENCRYPTED;
                }
                return SmimeKind.NONE;
            }
            // no smime-type (older clients): enveloped is by far the common case; the decryptor
            // checks the CMS type
            return SmimeKind.ENCRYPTED;
        }
        return SmimeKind.NONE;
    }

    static boolean isEncryptedType(ContentType type) {
        return classify(type) == SmimeKind.ENCRYPTED;
    }

    private static boolean isPkcs7Mime(ContentType type) {
        if (type.is("application/pkcs7-mime") || type.is("application/x-pkcs7-mime")) {
            return true;
        }
        // RFC 8551 section 3.2.1: some agents send application/octet-stream with a .p7m name
        return type.is("application/octet-stream")
                && type.parameter("name")
                        .map(n -> n.toLowerCase(Locale.ROOT).endsWith(".p7m"))
                        .orElse(false);
    }
}
