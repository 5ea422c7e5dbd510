package dev.mailsec.rights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The brandings of a James serving several organisations: a default (rights.xml's {@code
 * <branding>} attributes) and one per sender domain ({@code <domain names="...">} children, each
 * over the default). A protected message is branded by its sender's domain, exactly (no parent
 * domain match); a page that belongs to no message (the portal's home, an unknown link) shows the
 * default. Immutable.
 */
public final class BrandingSet {

    /** Nothing configured: the portal's own look and wording everywhere. */
    public static final BrandingSet NONE = new BrandingSet(Branding.NONE, Map.of());

    private final Branding defaults;
    private final Map<String, Branding> byDomain;

    BrandingSet(Branding defaults, Map<String, Branding> byDomain) {
        this.defaults = defaults;
        Map<String, Branding> m = new LinkedHashMap<>();
        byDomain.forEach((d, b) -> m.put(d, b.over(defaults)));
        this.byDomain = Collections.unmodifiableMap(m);
    }

    /** The default branding. */
    public Branding defaults() {
        return defaults;
    }

    /** The branding of mail from this address: its domain's, else the default. */
    public Branding forSender(String address) {
        String a = address == null ? "" : Rights.address(address);
        int at = a.lastIndexOf('@');
        Branding b = at < 0 ? null : byDomain.get(a.substring(at + 1));
        return b != null ? b : defaults;
    }

    /** The domains with a branding of their own (lower-case). */
    public Map<String, Branding> byDomain() {
        return byDomain;
    }

    /** Every distinct branding: the default, then each domain's. */
    public List<Branding> all() {
        List<Branding> out = new ArrayList<>();
        out.add(defaults);
        out.addAll(byDomain.values());
        return out;
    }

    /** The logo whose {@link BrandLogo#fileName()} this is, if any branding has it. */
    public Optional<BrandLogo> logo(String fileName) {
        return all().stream()
                .flatMap(b -> b.logo().stream())
                .filter(l -> l.fileName().equals(fileName))
                .findFirst();
    }

    /** The stylesheet whose {@link Branding#cssFileName()} this is, if any branding has it. */
    public Optional<String> css(String fileName) {
        return all().stream()
                .filter(b -> !b.css().isEmpty() && b.cssFileName().equals(fileName))
                .map(Branding::css)
                .findFirst();
    }

    @Override
    public String toString() {
        return "BrandingSet[default " + defaults + ", domains " + byDomain.keySet() + "]";
    }
}
