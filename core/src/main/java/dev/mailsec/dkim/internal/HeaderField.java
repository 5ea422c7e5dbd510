package dev.mailsec.dkim.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One header field as it was received: {@link #raw} holds its bytes (one char per byte, ISO-8859-1)
 * with every line ending as CRLF, including the final one.
 */
public final class HeaderField {
    private final String name;
    private final String lowerName;
    private final String raw;
    private final int colon;

    /**
     * The relaxed form, made on first use: DKIM-Signatures, ARC-Message-Signatures and ARC-Seals of
     * one message mostly sign the same fields. A benign race (the same bytes made twice at worst).
     */
    private byte[] relaxed;

    HeaderField(String name, String raw, int colon) {
        this.name = name;
        this.lowerName = name.toLowerCase(Locale.ROOT);
        this.raw = raw;
        this.colon = colon;
    }

    public String name() {
        return name;
    }

    public String lowerName() {
        return lowerName;
    }

    public String raw() {
        return raw;
    }

    /** Index of the colon that ends the name in {@link #raw}. */
    public int colon() {
        return colon;
    }

    /** Canonical form of another text of this field (e.g. with b= emptied), ending in CRLF. */
    public static byte[] canonical(String raw, int colon, Canonicalization c) {
        String s = c == Canonicalization.RELAXED ? relaxed(raw, colon) : raw;
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The value: everything after the colon, without the final CRLF, folding kept. */
    public String rawValue() {
        return raw.substring(colon + 1, raw.length() - 2);
    }

    /** The value unfolded (CR and LF removed) and trimmed, as text (ISO-8859-1 chars). */
    public String unfoldedValue() {
        String v = rawValue();
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString().trim();
    }

    /** Simple header canonicalisation (RFC 6376 section 3.4.1): the field unchanged. */
    public byte[] simple() {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Relaxed header canonicalisation (RFC 6376 section 3.4.2), ending in CRLF. The same array on
     * every call: callers must not change it.
     */
    public byte[] relaxed() {
        byte[] r = relaxed;
        if (r == null) {
            r = relaxed(raw, colon).getBytes(StandardCharsets.ISO_8859_1);
            relaxed = r;
        }
        return r;
    }

    static String relaxed(String raw, int colon) {
        StringBuilder sb = new StringBuilder(raw.length());
        int nameEnd = colon;
        while (nameEnd > 0 && isWsp(raw.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        for (int i = 0; i < nameEnd; i++) {
            char c = raw.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        sb.append(':');
        boolean pendingWsp = false;
        boolean started = false;
        for (int i = colon + 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (isWsp(c)) {
                pendingWsp = true;
                continue;
            }
            if (pendingWsp && started) {
                sb.append(' ');
            }
            pendingWsp = false;
            started = true;
            sb.append(c);
        }
        sb.append("\r\n");
        return sb.toString();
    }

    static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    @Override
    public String toString() {
        return name;
    }
}
