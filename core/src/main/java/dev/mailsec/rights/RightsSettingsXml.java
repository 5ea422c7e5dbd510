package dev.mailsec.rights;

import dev.mailsec.config.XmlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads {@code rights.xml} into {@link RightsSettings} (through its {@link RightsSettings.Builder},
 * which validates each value): the hardened XML parse (no DTD, no entities), the known elements and
 * attributes, each error an {@link IllegalArgumentException} naming the element or attribute and
 * the bad value.
 */
final class RightsSettingsXml {
    private RightsSettingsXml() {}

    /** See {@link RightsSettings#parse(InputStream, Path)}. */
    static RightsSettings read(InputStream xml, Path home) {
        Element root;
        try {
            root = XmlDocuments.parse(xml, false).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException(
                    "rights config: not well-formed XML: " + e.getMessage(), e);
        }
        if (!"rights".equals(root.getTagName())) {
            throw new IllegalArgumentException(
                    "rights config: root element must be <rights>, got <"
                            + root.getTagName()
                            + ">");
        }
        RightsSettings.Builder b = RightsSettings.builder();
        Map<String, Element> seen = new LinkedHashMap<>();
        for (Element e : children(root)) {
            if (seen.put(e.getTagName(), e) != null) {
                throw new IllegalArgumentException("<" + e.getTagName() + ">: given twice");
            }
        }
        for (String name : seen.keySet()) {
            if (!Arrays.asList(
                            "issuer",
                            "organisationDomains",
                            "portal",
                            "store",
                            "dkm",
                            "keys",
                            "subject",
                            "templates",
                            "branding")
                    .contains(name)) {
                throw new IllegalArgumentException(
                        "<"
                                + name
                                + ">: unknown element in <rights> (known: issuer,"
                                + " organisationDomains, portal, store, dkm, keys, subject, templates,"
                                + " branding)");
            }
        }
        Element issuer = seen.get("issuer");
        if (issuer == null) {
            throw new IllegalArgumentException(
                    "<issuer>: required (the organisation's domain, e.g. mailsec.test)");
        }
        b.issuer(issuer.getTextContent().trim());
        Element domains = seen.get("organisationDomains");
        b.organisationDomains(
                domains == null
                        ? Collections.singletonList(b.issuer())
                        : Arrays.asList(domains.getTextContent().trim().split("[,\\s]+")));
        PortalSettings.Builder p = PortalSettings.builder(b.issuer());
        Element portal = seen.get("portal");
        if (portal != null) {
            checkAttributes(
                    portal,
                    "url",
                    "bind",
                    "port",
                    "smtpHost",
                    "smtpPort",
                    "passcodeTtl",
                    "maxAttempts",
                    "lockout",
                    "perAddressPerHour",
                    "perClientPerHour",
                    "sessionTtl",
                    "passcodeSender");
            if (portal.hasAttribute("url")) {
                b.portalUrl(portal.getAttribute("url"));
            }
            if (portal.hasAttribute("bind")) {
                p.bindHost(portal.getAttribute("bind"));
            }
            if (portal.hasAttribute("port")) {
                p.port(integer(portal, "port"));
            }
            if (portal.hasAttribute("smtpHost")) {
                p.smtpHost(portal.getAttribute("smtpHost"));
            }
            if (portal.hasAttribute("smtpPort")) {
                p.smtpPort(integer(portal, "smtpPort"));
            }
            if (portal.hasAttribute("passcodeTtl")) {
                p.passcodeTtl(duration(portal, "passcodeTtl"));
            }
            if (portal.hasAttribute("maxAttempts")) {
                p.maxWrongAttempts(integer(portal, "maxAttempts"));
            }
            if (portal.hasAttribute("lockout")) {
                p.lockout(duration(portal, "lockout"));
            }
            if (portal.hasAttribute("perAddressPerHour")) {
                p.passcodesPerAddressPerHour(integer(portal, "perAddressPerHour"));
            }
            if (portal.hasAttribute("perClientPerHour")) {
                p.passcodesPerClientPerHour(integer(portal, "perClientPerHour"));
            }
            if (portal.hasAttribute("sessionTtl")) {
                p.sessionTtl(duration(portal, "sessionTtl"));
            }
            if (portal.hasAttribute("passcodeSender")) {
                p.passcodeSender(portal.getAttribute("passcodeSender"));
            }
        }
        b.portal(p.build());
        Element store = seen.get("store");
        if (store != null) {
            checkAttributes(store, "url", "schema");
            if (store.hasAttribute("url")) {
                b.storeUrl(store.getAttribute("url"), home);
            }
            if (store.hasAttribute("schema")) {
                b.storeSchema(store.getAttribute("schema"));
            }
        }
        if (!b.hasStoreUrl()) {
            b.storeUrl(RightsSettings.DEFAULT_STORE, home);
        }
        Element dkm = seen.get("dkm");
        if (dkm != null) {
            checkAttributes(dkm, "config");
            b.dkmConfig(RightsSettingsRules.resolve(home, "<dkm> config", required(dkm, "config")));
        } else {
            b.dkmConfig(
                    RightsSettingsRules.resolve(
                            home, "<dkm> config", RightsSettings.DEFAULT_DKM_CONFIG));
        }
        Element keys = seen.get("keys");
        if (keys != null) {
            checkAttributes(keys, "contentKey", "signingKey", "sessionKey");
            if (keys.hasAttribute("contentKey")) {
                b.contentKeySecret(keys.getAttribute("contentKey"));
            }
            if (keys.hasAttribute("signingKey")) {
                b.signingKeySecret(keys.getAttribute("signingKey"));
            }
            if (keys.hasAttribute("sessionKey")) {
                b.sessionKeySecret(keys.getAttribute("sessionKey"));
            }
        }
        Element subject = seen.get("subject");
        if (subject != null) {
            checkAttributes(subject, "mode", "text");
            if (subject.hasAttribute("mode")) {
                b.subjectMode(subject.getAttribute("mode"));
            }
            if (subject.hasAttribute("text")) {
                b.replacementSubject(subject.getAttribute("text"));
            }
        }
        Element templates = seen.get("templates");
        if (templates != null) {
            checkAttributes(templates);
            for (Element t : children(templates)) {
                if (!"template".equals(t.getTagName())) {
                    throw new IllegalArgumentException(
                            "<templates>: only <template> elements, got <" + t.getTagName() + ">");
                }
                checkAttributes(t, "name", "rights", "expiry");
                String name = required(t, "name");
                Set<Right> rights = EnumSet.noneOf(Right.class);
                String tokens = required(t, "rights");
                for (String tok : tokens.split(",")) {
                    try {
                        rights.add(Right.parse(tok));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "template "
                                        + name
                                        + " rights: unknown right '"
                                        + tok.trim()
                                        + "' (known: view, reply, reply-all, forward, print, extract)");
                    }
                }
                Duration expiry =
                        t.hasAttribute("expiry")
                                ? duration(t, "template " + name + " expiry", "expiry")
                                : null;
                b.template(RightsTemplate.of(name, rights, expiry));
            }
        }
        Element branding = seen.get("branding");
        if (branding != null) {
            b.branding(BrandingXml.read(branding, home));
        }
        return b.build();
    }

    static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        NodeList nl = e.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nl.item(i));
            }
        }
        return out;
    }

    static void checkAttributes(Element e, String... known) {
        NamedNodeMap attrs = e.getAttributes();
        Set<String> ok = new HashSet<>(Arrays.asList(known));
        for (int i = 0; i < attrs.getLength(); i++) {
            String n = attrs.item(i).getNodeName();
            if (!ok.contains(n)) {
                throw new IllegalArgumentException(
                        "<"
                                + e.getTagName()
                                + "> "
                                + n
                                + ": unknown attribute (known: "
                                + (known.length == 0 ? "none" : String.join(", ", known))
                                + ")");
            }
        }
    }

    private static String required(Element e, String attr) {
        String v = e.getAttribute(attr).trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("<" + e.getTagName() + "> " + attr + ": required");
        }
        return v;
    }

    private static int integer(Element e, String attr) {
        String v = e.getAttribute(attr).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(
                    "<" + e.getTagName() + "> " + attr + ": must be a number, got '" + v + "'");
        }
    }

    private static Duration duration(Element e, String attr) {
        return duration(e, "<" + e.getTagName() + "> " + attr, attr);
    }

    private static Duration duration(Element e, String what, String attr) {
        String v = e.getAttribute(attr).trim();
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + ": must be positive, got '" + v + "'");
            }
            return d;
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException(
                    what + ": must be an ISO-8601 duration such as P30D or PT10M, got '" + v + "'");
        }
    }
}
