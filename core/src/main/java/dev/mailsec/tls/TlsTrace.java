package dev.mailsec.tls;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Renders the TLS facts of a mail as a one-line, human-readable trace for a header, the one place
 * where that text is produced:
 *
 * <ul>
 *   <li>{@code TLSv1.3; cipher=TLS_AES_256_GCM_SHA384}
 *   <li>{@code TLSv1.3; cipher=TLS_AES_256_GCM_SHA384;
 *       client-certificate="CN=relay.example,O=Example"}
 *   <li>{@code none; received in clear}
 * </ul>
 *
 * <p>The output is printable US-ASCII whatever the input, so it is always a valid header value: the
 * client certificate's subject is peer-controlled, so it is written as an RFC 5322 quoted-string,
 * with non-ASCII and control characters turned into RFC 4514 {@code \XX} escapes of their UTF-8
 * bytes, and cut to {@value #MAX_SUBJECT_LENGTH} characters (marked by a trailing {@code ...}).
 */
public final class TlsTrace {

    /** The trace of a mail that arrived without TLS. */
    public static final String CLEAR = "none; received in clear";

    static final int MAX_SUBJECT_LENGTH = 256;

    private TlsTrace() {}

    /** The trace for {@code facts}, or {@link #CLEAR} when the mail arrived without TLS. */
    public static String render(Optional<TlsFacts> facts) {
        return facts.map(TlsTrace::render).orElse(CLEAR);
    }

    /** The trace of a mail that arrived over TLS. */
    public static String render(TlsFacts facts) {
        StringBuilder trace =
                new StringBuilder()
                        .append(token(facts.protocol()))
                        .append("; cipher=")
                        .append(token(facts.cipherSuite()));
        facts.peerSubject()
                .ifPresent(
                        subject -> trace.append("; client-certificate=").append(quoted(subject)));
        return trace.toString();
    }

    /** JSSE names are plain tokens; anything else is replaced so it cannot break the header. */
    private static String token(String value) {
        StringBuilder token = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean safe =
                    (c >= 'A' && c <= 'Z')
                            || (c >= 'a' && c <= 'z')
                            || (c >= '0' && c <= '9')
                            || c == '_'
                            || c == '.'
                            || c == '-';
            token.append(safe ? c : '?');
        }
        return token.length() == 0 ? "unknown" : token.toString();
    }

    private static String quoted(String subject) {
        String ascii = asciiEscaped(subject);
        boolean truncated = ascii.length() > MAX_SUBJECT_LENGTH;
        if (truncated) {
            ascii = ascii.substring(0, MAX_SUBJECT_LENGTH);
        }
        StringBuilder quoted = new StringBuilder(ascii.length() + 8).append('"');
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        if (truncated) {
            quoted.append("...");
        }
        return quoted.append('"').toString();
    }

    /**
     * Printable ASCII stays; every other character becomes {@code \XX} per UTF-8 byte (RFC 4514
     * section 2.4).
     */
    private static String asciiEscaped(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            int codePoint = value.codePointAt(i);
            if (codePoint >= 0x20 && codePoint <= 0x7E) {
                escaped.append((char) codePoint);
            } else {
                for (byte b :
                        new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    escaped.append('\\').append(String.format("%02X", b & 0xFF));
                }
            }
            i += Character.charCount(codePoint);
        }
        return escaped.toString();
    }
}
