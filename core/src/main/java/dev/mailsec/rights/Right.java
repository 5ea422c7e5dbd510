package dev.mailsec.rights;

import java.util.Locale;

/**
 * What a reader of a protected message may do. The config tokens ({@link #token()}) are those of
 * {@code conf/rights.xml}: {@code view, reply, reply-all, forward, print, extract}.
 */
public enum Right {
    /** Read the message (every template grants it). */
    VIEW("view"),
    /** Reply to the sender. */
    REPLY("reply"),
    /** Reply to the sender and every recipient. */
    REPLY_ALL("reply-all"),
    /** Forward the content to someone not named in the licence. */
    FORWARD("forward"),
    /** Print the message. */
    PRINT("print"),
    /** Copy text and download attachments. */
    EXTRACT("extract");

    private final String token;

    Right(String token) {
        this.token = token;
    }

    /** The token used in configuration and in the licence's {@code rights} claim. */
    public String token() {
        return token;
    }

    /**
     * The right a token names (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the bad token and the valid ones
     */
    public static Right parse(String token) {
        String t = token == null ? "" : token.trim().toLowerCase(Locale.ROOT);
        for (Right r : values()) {
            if (r.token.equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "right: one of view, reply, reply-all, forward, print, extract; got '"
                        + token
                        + "'");
    }
}
