package dev.mailsec.rights;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One organisation's look, from rights.xml's {@code <branding>} (the default) or one of its {@code
 * <domain>} children (for senders of those domains): the organisation's name, its logo, three
 * colours and the wording of the wrapper mail. What is not set falls back to the default branding,
 * then to the portal's own look. Every value is checked when it is set ({@link #colour(String,
 * String)}, {@link #organisation(String, String)}, {@link #wording(String, String)}), so nothing an
 * operator writes can break out of the page: colours are hex only, names and wording are escaped
 * where they are shown. Immutable.
 */
public final class Branding {

    /** The wrapper's opening when no {@code <wrapper>} wording is configured. */
    public static final String DEFAULT_WORDING = "{sender} sent you a protected message.";

    /** No branding at all: the portal's own look and wording. */
    public static final Branding NONE = new Branding(null, null, null, null, null, null);

    private static final Pattern HEX = Pattern.compile("#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)\\}");
    private static final int MAX_NAME = 100;
    private static final int MAX_WORDING = 2000;

    private final String organisation;
    private final BrandLogo logo;
    private final String colour;
    private final String barColour;
    private final String barText;
    private final String wording;
    // derived once: the portal asks for both on every page
    private final String css;
    private final String cssFileName;

    Branding(
            String organisation,
            BrandLogo logo,
            String colour,
            String barColour,
            String barText,
            String wording) {
        this.organisation = organisation;
        this.logo = logo;
        this.colour = colour;
        this.barColour = barColour;
        this.barText = barText;
        this.wording = wording;
        this.css = stylesheet();
        this.cssFileName =
                "brand-"
                        + RightsRecords.hash(css.getBytes(StandardCharsets.UTF_8)).substring(0, 16)
                        + ".css";
    }

    /** This branding with what it leaves unset taken from {@code base}. */
    Branding over(Branding base) {
        return new Branding(
                organisation != null ? organisation : base.organisation,
                logo != null ? logo : base.logo,
                colour != null ? colour : base.colour,
                barColour != null ? barColour : base.barColour,
                barText != null ? barText : base.barText,
                wording != null ? wording : base.wording);
    }

    /**
     * A CSS colour as kept: {@code #rgb} or {@code #rrggbb}, returned as lower-case {@code
     * #rrggbb}. Only hex: a colour lands in a stylesheet, and hex cannot carry anything else.
     *
     * @throws IllegalArgumentException naming {@code what} and the value
     */
    static String colour(String what, String v) {
        String t = v.trim();
        if (!HEX.matcher(t).matches()) {
            throw new IllegalArgumentException(
                    what + ": must be a CSS hex colour such as #1f5fbf or #15b, got '" + v + "'");
        }
        t = t.toLowerCase(Locale.ROOT);
        if (t.length() == 4) {
            t =
                    "#"
                            + t.charAt(1)
                            + t.charAt(1)
                            + t.charAt(2)
                            + t.charAt(2)
                            + t.charAt(3)
                            + t.charAt(3);
        }
        return t;
    }

    /**
     * The organisation's name: 1 to 100 characters, no control characters (it is shown in page
     * headers, titles and mail, always escaped).
     */
    static String organisation(String what, String v) {
        String t = v.trim();
        if (t.isEmpty()
                || t.length() > MAX_NAME
                || t.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    what
                            + ": must be 1 to "
                            + MAX_NAME
                            + " characters without control characters, got '"
                            + printable(v)
                            + "'");
        }
        return t;
    }

    /**
     * The wrapper's wording: lines trimmed (XML indentation), at most one blank line between
     * paragraphs, at most 2000 characters, placeholders only {@code {sender}} and {@code
     * {organisation}}.
     */
    static String wording(String what, String v) {
        StringBuilder b = new StringBuilder();
        boolean blank = false;
        for (String line : v.split("\\r?\\n|\\r", -1)) {
            String t = line.trim();
            if (t.isEmpty()) {
                blank = b.length() > 0;
                continue;
            }
            if (b.length() > 0) {
                b.append(blank ? "\n\n" : "\n");
            }
            blank = false;
            b.append(t);
        }
        String out = b.toString();
        if (out.isEmpty() || out.length() > MAX_WORDING) {
            throw new IllegalArgumentException(
                    what + ": must be 1 to " + MAX_WORDING + " characters, got " + out.length());
        }
        if (out.codePoints().anyMatch(c -> c != '\n' && Character.isISOControl(c))) {
            throw new IllegalArgumentException(
                    what + ": control characters are not allowed, got '" + printable(out) + "'");
        }
        Matcher m = PLACEHOLDER.matcher(out);
        while (m.find()) {
            if (!m.group(1).equals("sender") && !m.group(1).equals("organisation")) {
                throw new IllegalArgumentException(
                        what
                                + ": unknown placeholder '"
                                + m.group()
                                + "' (known: {sender}, {organisation})");
            }
        }
        return out;
    }

    private static String printable(String v) {
        String s = v.length() > 120 ? v.substring(0, 120) + "..." : v;
        StringBuilder b = new StringBuilder();
        s.codePoints()
                .forEach(
                        c -> {
                            if (Character.isISOControl(c)) {
                                b.append(String.format("\\u%04x", c));
                            } else {
                                b.appendCodePoint(c);
                            }
                        });
        return b.toString();
    }

    /** The organisation's name, if configured. */
    public Optional<String> organisation() {
        return Optional.ofNullable(organisation);
    }

    public Optional<BrandLogo> logo() {
        return Optional.ofNullable(logo);
    }

    /** Links, buttons and icons ({@code colour}), lower-case {@code #rrggbb}. */
    public Optional<String> colour() {
        return Optional.ofNullable(colour);
    }

    /** The top bar's background ({@code barColour}). */
    public Optional<String> barColour() {
        return Optional.ofNullable(barColour);
    }

    /** The top bar's text ({@code barText}). */
    public Optional<String> barText() {
        return Optional.ofNullable(barText);
    }

    /** True when nothing is configured: the portal's own look. */
    public boolean isNone() {
        return organisation == null
                && logo == null
                && colour == null
                && barColour == null
                && barText == null
                && wording == null;
    }

    /**
     * The wrapper's opening for this sender, plain text with {@code \n} between lines: the
     * configured wording (or {@link #DEFAULT_WORDING}) with its placeholders filled in.
     */
    public String wrapperWording(String sender) {
        String w = wording != null ? wording : DEFAULT_WORDING;
        return w.replace("{organisation}", organisation != null ? organisation : "")
                .replace("{sender}", sender);
    }

    /** The wording with its placeholders, or {@link #DEFAULT_WORDING}. */
    String wordingTemplate() {
        return wording != null ? wording : DEFAULT_WORDING;
    }

    /**
     * The stylesheet of the colours (empty when none is set): custom properties and the top bar,
     * loaded by the portal after its own.
     */
    public String css() {
        return css;
    }

    private String stylesheet() {
        StringBuilder b = new StringBuilder();
        if (colour != null) {
            b.append(":root { --brand: ")
                    .append(colour)
                    .append("; --brand-dark: ")
                    .append(darker(colour))
                    .append("; }\n");
            b.append(".lock, .mail { background: ").append(lighter(colour)).append("; }\n");
        }
        if (barColour != null) {
            b.append(".bar { background: ").append(barColour).append("; }\n");
        }
        if (barText != null) {
            b.append(".bar, .brand, .brand:hover, .brand-sub, .who { color: ")
                    .append(barText)
                    .append("; }\n");
        }
        return b.toString();
    }

    /** {@code brand-<16 hex>.css}: the name of {@link #css()} in the portal (content-addressed). */
    public String cssFileName() {
        return cssFileName;
    }

    private static String darker(String hex) {
        return mix(hex, 0, 0.78);
    }

    private static String lighter(String hex) {
        return mix(hex, 255, 0.12);
    }

    /** Each channel: {@code toward + (channel - toward) * keep}. */
    private static String mix(String hex, int toward, double keep) {
        StringBuilder b = new StringBuilder("#");
        for (int i = 1; i < 7; i += 2) {
            int c = Integer.parseInt(hex.substring(i, i + 2), 16);
            int m = (int) Math.round(toward + (c - toward) * keep);
            b.append(String.format("%02x", Math.max(0, Math.min(255, m))));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "Branding["
                + (organisation == null ? "-" : organisation)
                + (logo == null ? "" : ", " + logo)
                + "]";
    }
}
