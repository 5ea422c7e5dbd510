package dev.mailsec.rights;

import dev.mailsec.mail.DomainName;
import dev.mailsec.mail.DomainName.Option;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Reads rights.xml's {@code <branding>} into a {@link BrandingSet}; each error an {@link
 * IllegalArgumentException} naming the element or attribute and the bad value.
 *
 * <pre>
 * &lt;branding organisation="Example Ltd" logo="conf/branding/logo.png" colour="#0b5394"
 *           barColour="#0a2540" barText="#ffffff"&gt;
 *   &lt;wrapper&gt;{sender} of {organisation} sent you a protected message.&lt;/wrapper&gt;
 *   &lt;domain names="example.org, lists.example.org" organisation="Example Foundation"
 *           logo="data:image/svg+xml;base64,PHN2Zy..."&gt;
 *     &lt;wrapper&gt;...&lt;/wrapper&gt;
 *   &lt;/domain&gt;
 * &lt;/branding&gt;
 * </pre>
 */
final class BrandingXml {

    private static final String[] ATTRIBUTES = {
        "organisation", "logo", "colour", "barColour", "barText"
    };

    private BrandingXml() {}

    /** The set read from {@code <branding>}; relative logo paths resolve against {@code home}. */
    static BrandingSet read(Element branding, Path home) {
        RightsSettingsXml.checkAttributes(branding, ATTRIBUTES);
        Branding defaults = one(branding, "<branding>", home, "domain");
        Map<String, Branding> byDomain = new LinkedHashMap<>();
        for (Element d : RightsSettingsXml.children(branding)) {
            if (!d.getTagName().equals("domain")) {
                continue; // <wrapper>, read by one()
            }
            List<String> attrs = new ArrayList<>(Arrays.asList(ATTRIBUTES));
            attrs.add("names");
            RightsSettingsXml.checkAttributes(d, attrs.toArray(new String[0]));
            String names = d.getAttribute("names").trim();
            if (names.isEmpty()) {
                throw new IllegalArgumentException("<branding> <domain> names: required");
            }
            Branding b = one(d, "<branding> <domain names=\"" + names + "\">", home, null);
            for (String n : names.split("[,\\s]+")) {
                String domain =
                        DomainName.normalize(n, Option.TRIM, Option.MULTI_LABEL)
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        "<branding> <domain> names: not a domain"
                                                                + " name: '"
                                                                + n
                                                                + "'"));
                if (byDomain.put(domain, b) != null) {
                    throw new IllegalArgumentException(
                            "<branding> <domain> names: '" + domain + "' given twice");
                }
            }
        }
        return new BrandingSet(defaults, byDomain);
    }

    private static Branding one(Element e, String where, Path home, String childAllowed) {
        String organisation =
                e.hasAttribute("organisation")
                        ? Branding.organisation(
                                where + " organisation", e.getAttribute("organisation"))
                        : null;
        BrandLogo logo =
                e.hasAttribute("logo") ? logo(where + " logo", e.getAttribute("logo"), home) : null;
        String colour = colour(e, where, "colour");
        String barColour = colour(e, where, "barColour");
        String barText = colour(e, where, "barText");
        String wording = null;
        for (Element c : RightsSettingsXml.children(e)) {
            if (c.getTagName().equals("wrapper")) {
                RightsSettingsXml.checkAttributes(c);
                if (wording != null) {
                    throw new IllegalArgumentException(where + " <wrapper>: given twice");
                }
                if (!RightsSettingsXml.children(c).isEmpty()) {
                    throw new IllegalArgumentException(
                            where
                                    + " <wrapper>: text only (it is escaped, not markup), got <"
                                    + RightsSettingsXml.children(c).get(0).getTagName()
                                    + ">");
                }
                wording = Branding.wording(where + " <wrapper>", c.getTextContent());
            } else if (!c.getTagName().equals(childAllowed)) {
                throw new IllegalArgumentException(
                        where
                                + ": unknown element <"
                                + c.getTagName()
                                + "> (known: wrapper"
                                + (childAllowed == null ? "" : ", " + childAllowed)
                                + ")");
            }
        }
        return new Branding(organisation, logo, colour, barColour, barText, wording);
    }

    private static String colour(Element e, String where, String attr) {
        return e.hasAttribute(attr)
                ? Branding.colour(where + " " + attr, e.getAttribute(attr))
                : null;
    }

    /**
     * A logo: {@code data:image/png;base64,...} (also {@code image/jpeg}, {@code image/svg+xml}) or
     * a path to a {@code .png}, {@code .jpg}/{@code .jpeg} or {@code .svg} file. Remote URLs are
     * refused: the portal serves the logo itself (its CSP loads nothing from elsewhere).
     */
    static BrandLogo logo(String what, String value, Path home) {
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            int comma = v.indexOf(',');
            String meta = comma < 0 ? "" : lower.substring(5, comma);
            String type = meta.endsWith(";base64") ? meta.substring(0, meta.length() - 7) : null;
            if (type == null
                    || !(type.equals("image/png")
                            || type.equals("image/jpeg")
                            || type.equals("image/svg+xml"))) {
                throw new IllegalArgumentException(
                        what
                                + ": a data: URI must be data:image/png;base64,..., image/jpeg or"
                                + " image/svg+xml, got '"
                                + shorten(v)
                                + "'");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(v.substring(comma + 1).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        what + ": the data: URI is not valid base64: '" + shorten(v) + "'", e);
            }
            return BrandLogo.of(bytes, type, what);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*") || lower.startsWith("//")) {
            throw new IllegalArgumentException(
                    what
                            + ": must be a file or a data: URI, not a URL (the portal serves the logo"
                            + " itself), got '"
                            + shorten(v)
                            + "'");
        }
        String type = BrandLogo.typeOfName(v);
        if (type == null) {
            throw new IllegalArgumentException(
                    what + ": the file must end in .png, .jpg, .jpeg or .svg, got '" + v + "'");
        }
        Path file = RightsSettingsRules.resolve(home, what, v);
        try {
            if (Files.size(file) > BrandLogo.MAX_BYTES) {
                throw new IllegalArgumentException(
                        what
                                + ": "
                                + file
                                + " has "
                                + Files.size(file)
                                + " bytes, at most "
                                + BrandLogo.MAX_BYTES);
            }
            return BrandLogo.of(Files.readAllBytes(file), type, what + " " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot read " + file + ": " + e, e);
        }
    }

    private static String shorten(String v) {
        return v.length() > 60 ? v.substring(0, 60) + "..." : v;
    }
}
