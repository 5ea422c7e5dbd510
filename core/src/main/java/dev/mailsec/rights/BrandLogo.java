package dev.mailsec.rights;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * An organisation's logo from rights.xml's {@code <branding logo="...">}: PNG, JPEG or SVG, at most
 * {@link #MAX_BYTES}, its type sniffed from the bytes (and required to match what the file name or
 * the data: URI says), an SVG accepted only when {@link SafeSvg} finds nothing that could run
 * script or load anything. The portal serves it from itself under {@link #fileName()} (the content
 * hash in the name, so a changed logo is a new URL); the wrapper mail carries PNG and JPEG inline.
 * Immutable.
 */
public final class BrandLogo {

    /**
     * The largest logo accepted: enough for a crisp header logo, small enough for every wrapper.
     */
    public static final int MAX_BYTES = 128 * 1024;

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final byte[] bytes;
    private final String mediaType;
    private final String fileName;

    private BrandLogo(byte[] bytes, String mediaType) {
        this.bytes = bytes;
        this.mediaType = mediaType;
        this.fileName =
                "logo-" + RightsRecords.hash(bytes).substring(0, 16) + "." + extension(mediaType);
    }

    /**
     * Checks a logo's bytes.
     *
     * @param declared the media type the operator's file name or data: URI gives ({@code
     *     image/png}, {@code image/jpeg}, {@code image/svg+xml}), or null to take the sniffed one
     * @param what how the error names the setting, e.g. {@code <branding> logo}
     * @throws IllegalArgumentException naming {@code what} and the reason
     */
    public static BrandLogo of(byte[] bytes, String declared, String what) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException(what + ": the logo is empty");
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    what + ": the logo has " + bytes.length + " bytes, at most " + MAX_BYTES);
        }
        String sniffed = sniff(bytes);
        if (sniffed == null) {
            throw new IllegalArgumentException(what + ": the logo is not a PNG, JPEG or SVG image");
        }
        if (declared != null && !declared.equals(sniffed)) {
            throw new IllegalArgumentException(
                    what + ": the logo is named " + declared + " but its content is " + sniffed);
        }
        if (sniffed.equals("image/svg+xml")) {
            SafeSvg.check(bytes, what);
        }
        return new BrandLogo(bytes.clone(), sniffed);
    }

    /**
     * The media type a name ends in ({@code .png}, {@code .jpg}/{@code .jpeg}, {@code .svg}), or
     * null.
     */
    static String typeOfName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (n.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return null;
    }

    /** PNG by signature and IHDR, JPEG by SOI marker, SVG by its text start; else null. */
    private static String sniff(byte[] b) {
        if (b.length >= 24
                && Arrays.equals(Arrays.copyOf(b, 8), PNG)
                && b[12] == 'I'
                && b[13] == 'H'
                && b[14] == 'D'
                && b[15] == 'R') {
            return "image/png";
        }
        if (b.length >= 4
                && (b[0] & 0xff) == 0xff
                && (b[1] & 0xff) == 0xd8
                && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        String head =
                new String(b, 0, Math.min(b.length, 1024), StandardCharsets.UTF_8)
                        .replace("\uFEFF", "")
                        .trim();
        if (head.startsWith("<") && head.toLowerCase(Locale.ROOT).contains("<svg")) {
            return "image/svg+xml";
        }
        return null;
    }

    private static String extension(String mediaType) {
        switch (mediaType) {
            case "image/png":
                return "png";
            case "image/jpeg":
                return "jpg";
            default:
                return "svg";
        }
    }

    /** A copy of the image bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** {@code image/png}, {@code image/jpeg} or {@code image/svg+xml}. */
    public String mediaType() {
        return mediaType;
    }

    /** {@code logo-<16 hex of its SHA-256>.<png|jpg|svg>}: the name the portal serves it under. */
    public String fileName() {
        return fileName;
    }

    /** True for PNG and JPEG, which mail clients show inline (many refuse SVG). */
    public boolean mailable() {
        return !mediaType.equals("image/svg+xml");
    }

    @Override
    public String toString() {
        return "BrandLogo[" + mediaType + ", " + bytes.length + " bytes, " + fileName + "]";
    }
}
