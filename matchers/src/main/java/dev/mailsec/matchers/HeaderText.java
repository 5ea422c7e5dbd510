package dev.mailsec.matchers;

import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.internet.MimeUtility;
import javax.mail.internet.ParseException;

/**
 * A header field's text as a reader sees it: raw UTF-8 read as UTF-8, MIME encoded words decoded,
 * folds unfolded. Shared by the matchers that read what a sender wrote ({@link SubjectHasTag},
 * {@link FromDomainIs}).
 */
final class HeaderText {

    private static final Pattern ENCODED_WORD =
            Pattern.compile("=\\?[^?\\s]{1,64}\\?[bBqQ]\\?[^?\\s]*\\?=");

    private HeaderText() {}

    /**
     * Decodes every encoded word, also ones JavaMail's strict decoder leaves alone (not separated
     * by whitespace, {@code Re:=?utf-8?q?=5Bencrypt=5D?=}); a word that does not decode stays as
     * written. Only the first {@code maxChars} characters of {@code raw} are read.
     */
    static String decode(String raw, int maxChars) {
        String unfolded =
                utf8(
                        MimeUtility.unfold(
                                raw.length() > maxChars ? raw.substring(0, maxChars) : raw));
        Matcher m = ENCODED_WORD.matcher(unfolded);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String between = unfolded.substring(last, m.start());
            // RFC 2047 section 6.2: whitespace between two adjacent encoded words is not shown
            out.append(last > 0 && between.isBlank() ? "" : between);
            try {
                out.append(MimeUtility.decodeWord(m.group()));
            } catch (UnsupportedEncodingException | ParseException | RuntimeException e) {
                out.append(m.group());
            }
            last = m.end();
        }
        return out.append(unfolded.substring(last)).toString();
    }

    /**
     * A header in raw UTF-8 (RFC 6532) reaches us one char per byte (JavaMail reads headers as
     * ISO-8859-1); such a value is read as UTF-8 when it is valid UTF-8, else left as it is.
     */
    static String utf8(String value) {
        boolean high = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return value;
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }
}
