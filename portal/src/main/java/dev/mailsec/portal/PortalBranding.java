package dev.mailsec.portal;

import static dev.mailsec.portal.Html.esc;

import com.sun.net.httpserver.HttpExchange;
import dev.mailsec.rights.BrandLogo;
import dev.mailsec.rights.Branding;
import dev.mailsec.rights.BrandingSet;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Puts the organisation's branding (rights.xml's {@code <branding>}) on every page: its name, logo
 * and colours in the frame {@link Html#page} draws. The branding is chosen per request and kept on
 * the exchange: the default when the request starts ({@link #begin}), the sender domain's once a
 * handler knows the message ({@link #use}); {@link HttpIo#html} then draws the frame with it
 * ({@link #frame}). So the pages keep their signatures and no page can forget the branding.
 *
 * <p>The CSP stays as it is: the logo and the colours' stylesheet are served by the portal itself
 * under content-addressed names ({@code /static/logo-<hash>.png}, {@code
 * /static/brand-<hash>.css}), which {@code img-src 'self'} and {@code style-src 'self'} already
 * allow; the name is escaped like every text, the colours are hex values checked at start.
 * Stateless.
 */
final class PortalBranding {

    private static final String SET = "dev.mailsec.portal.brandings";
    private static final String CHOSEN = "dev.mailsec.portal.branding";

    static final String STYLESHEET = "<link rel=\"stylesheet\" href=\"/static/portal.css\">";
    static final String MARK =
            "<span class=\"shield\" aria-hidden=\"true\"></span><span class=\"brand-name\">mailsec</span>";
    static final String TITLE_END = " · mailsec protected mail</title>";
    static final String FOOT = "This message is protected by its sender's organisation. ";

    private PortalBranding() {}

    /** At the start of every request: the configured set, and its default as the choice. */
    static void begin(HttpExchange ex, BrandingSet set) {
        ex.setAttribute(SET, set);
        ex.setAttribute(CHOSEN, set.defaults());
    }

    /** Once the message is known: the branding of its sender's domain. */
    static void use(HttpExchange ex, String sender) {
        Object set = ex.getAttribute(SET);
        if (set instanceof BrandingSet) {
            ex.setAttribute(CHOSEN, ((BrandingSet) set).forSender(sender));
        }
    }

    /** The page with the chosen branding's frame; unchanged when nothing is configured. */
    static String frame(HttpExchange ex, String page) {
        Object chosen = ex.getAttribute(CHOSEN);
        return chosen instanceof Branding ? frame((Branding) chosen, page) : page;
    }

    static String frame(Branding b, String page) {
        if (b.isNone()) {
            return page;
        }
        String out = page;
        if (!b.css().isEmpty()) {
            out =
                    replaceFirst(
                            out,
                            STYLESHEET,
                            STYLESHEET
                                    + "<link rel=\"stylesheet\" href=\"/static/"
                                    + b.cssFileName()
                                    + "\">");
        }
        String name = b.organisation().map(Html::esc).orElse("mailsec");
        String mark =
                b.logo()
                        .map(
                                l ->
                                        "<img class=\"logo\" src=\"/static/"
                                                + l.fileName()
                                                + "\" alt=\"\">")
                        .orElse("<span class=\"shield\" aria-hidden=\"true\"></span>");
        out = replaceFirst(out, MARK, mark + "<span class=\"brand-name\">" + name + "</span>");
        if (b.organisation().isPresent()) {
            out = replaceFirst(out, TITLE_END, " · " + name + " protected mail</title>");
            out =
                    replaceFirst(
                            out,
                            FOOT,
                            "This message is protected by " + esc(b.organisation().get()) + ". ");
        }
        return out;
    }

    /**
     * A branding file for {@code GET /static/NAME}: a logo or a colours' stylesheet of the
     * configured set, with its media type; empty for any other name.
     */
    static Optional<HttpFile> file(HttpExchange ex, String name) {
        Object o = ex.getAttribute(SET);
        if (!(o instanceof BrandingSet)) {
            return Optional.empty();
        }
        BrandingSet set = (BrandingSet) o;
        if (name.startsWith("logo-")) {
            return set.logo(name).map(PortalBranding::logoFile);
        }
        if (name.startsWith("brand-")) {
            return set.css(name)
                    .map(
                            c ->
                                    new HttpFile(
                                            "text/css; charset=utf-8",
                                            c.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    private static HttpFile logoFile(BrandLogo l) {
        return new HttpFile(l.mediaType(), l.bytes());
    }

    /** The first occurrence only: the frame comes before the page's content. */
    private static String replaceFirst(String s, String what, String with) {
        int i = s.indexOf(what);
        return i < 0 ? s : s.substring(0, i) + with + s.substring(i + what.length());
    }

    /** A static file's media type and bytes. */
    static final class HttpFile {
        final String type;
        final byte[] bytes;

        HttpFile(String type, byte[] bytes) {
            this.type = type;
            this.bytes = bytes;
        }
    }
}
