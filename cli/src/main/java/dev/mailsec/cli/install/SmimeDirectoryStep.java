package dev.mailsec.cli.install;

import dev.mailsec.cli.UserException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * {@code mailsec install --smime-directory ldap://HOST/BASE-DN}: the sample pipeline's {@code
 * local-delivery} S/MIME step reads recipients' certificates from that LDAP directory instead of
 * {@code conf/smime/certs}, and sends the directory's faults (the matcher's {@code
 * onMatchException}, the mailet's {@code errorProcessor}) to a hold processor, {@code
 * smime-directory-down}, whose repository an operator reprocesses to {@code local-delivery} once
 * the directory answers (docs/faults.md). Without the hold a directory fault would go to {@code
 * error}, which the sample bounces.
 */
final class SmimeDirectoryStep {

    /**
     * The processor (and repository, var/mail/NAME) that holds mail while the directory is down.
     */
    static final String HOLD = "smime-directory-down";

    /** The sample's folder form of the step, as the bundle's mailetcontainer.xml has it. */
    static final String FOLDER_STEP =
            "            <mailet match=\"dev.mailsec.matchers.smime.HasRecipientCertificate=conf/smime/certs\" class=\"dev.mailsec.mailets.smime.EncryptSmime\">\n"
                    + "                <certificateFolder>conf/smime/certs</certificateFolder>\n"
                    + "                <trustAnchors>conf/smime/ca.pem</trustAnchors>\n";

    /** The processor the hold goes before (the sample's last). */
    static final String BEFORE = "        <processor state=\"rrt-error\"";

    /** The server part, {@code ldap[s]://host[:port]}. */
    final String server;

    /** The base DN the certificates are searched under. */
    final String baseDn;

    /** Optional simple bind: DN and the DKM secret holding its password (both or neither). */
    final String bindDn;

    final String passwordSecret;

    private SmimeDirectoryStep(String server, String baseDn, String bindDn, String passwordSecret) {
        this.server = server;
        this.baseDn = baseDn;
        this.bindDn = bindDn;
        this.passwordSecret = passwordSecret;
    }

    /**
     * The step for {@code --smime-directory URL} (null when not given), with an optional bind;
     * refuses a bad value naming the flag and the value.
     */
    static SmimeDirectoryStep of(String url, String bindDn, String passwordSecret) {
        if (url == null) {
            if (bindDn != null || passwordSecret != null) {
                throw new UserException(
                        (bindDn != null
                                        ? "--smime-directory-bind-dn"
                                        : "--smime-directory-password-secret")
                                + ": only with --smime-directory",
                        2);
            }
            return null;
        }
        String value = url.trim();
        String server = null;
        String base = null;
        try {
            URI u = new URI(value);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("ldap") || scheme.equals("ldaps"))
                    && u.getHost() != null
                    && u.getQuery() == null
                    && u.getFragment() == null
                    && u.getUserInfo() == null
                    && u.getPath() != null) {
                server = scheme + "://" + u.getRawAuthority();
                base = u.getPath().replaceFirst("^/", "").trim();
            }
        } catch (URISyntaxException e) {
            // the message below names the flag
        }
        if (server == null || base.isEmpty() || !plain(base)) {
            throw new UserException(
                    "--smime-directory: an ldap:// or ldaps:// URL with a host and a base DN"
                            + " (ldaps://dc1.example.com/ou=people,dc=example,dc=com), got '"
                            + url
                            + "'",
                    2);
        }
        if ((bindDn == null) != (passwordSecret == null)) {
            throw new UserException(
                    bindDn == null
                            ? "--smime-directory-bind-dn: required with --smime-directory-password-secret"
                            : "--smime-directory-password-secret: required with --smime-directory-bind-dn"
                                    + " (the DKM secret holding the password)",
                    2);
        }
        if (bindDn != null && (bindDn.isBlank() || !plain(bindDn))) {
            throw new UserException(
                    "--smime-directory-bind-dn: a DN without ';', quotes or '<>&', got '"
                            + bindDn
                            + "'",
                    2);
        }
        if (passwordSecret != null && !passwordSecret.matches("[A-Za-z0-9._/-]+")) {
            throw new UserException(
                    "--smime-directory-password-secret: a DKM secret name (letters, digits,"
                            + " '._/-'), got '"
                            + passwordSecret
                            + "'",
                    2);
        }
        return new SmimeDirectoryStep(
                server,
                base,
                bindDn == null ? null : bindDn.trim(),
                passwordSecret == null ? null : passwordSecret.trim());
    }

    /** Nothing that would break the matcher condition (';'-separated) or the XML around it. */
    private static boolean plain(String s) {
        return s.chars().noneMatch(c -> c == ';' || c == '"' || c == '<' || c == '>' || c == '&')
                && s.chars().allMatch(c -> c >= 0x20);
    }

    /** The sample mailetcontainer.xml with the LDAP form of the step and the hold processor. */
    String apply(String mailetcontainer) {
        if (!mailetcontainer.contains(FOLDER_STEP) || !mailetcontainer.contains(BEFORE)) {
            throw new IllegalStateException(
                    "the bundle's conf/mailetcontainer.xml no longer has the local-delivery S/MIME"
                            + " step install rewrites for --smime-directory: the installer and its"
                            + " sample disagree");
        }
        return mailetcontainer
                .replace(FOLDER_STEP, ldapStep())
                .replace(BEFORE, holdProcessor() + BEFORE);
    }

    private String ldapStep() {
        StringBuilder s = new StringBuilder();
        s.append("            <mailet match=\"dev.mailsec.matchers.smime.HasRecipientCertificate=")
                .append(server)
                .append('/')
                .append(baseDn);
        if (bindDn != null) {
            s.append("; bindDn=").append(bindDn).append("; passwordSecret=").append(passwordSecret);
        }
        s.append("; trustAnchors=conf/smime/ca.pem\"")
                .append(" class=\"dev.mailsec.mailets.smime.EncryptSmime\">\n")
                .append(
                        "                <!-- mailsec: a directory fault (refused, timed out) holds the mail in ")
                .append(HOLD)
                .append(",\n")
                .append("                     never delivered in clear, never bounced -->\n")
                .append("                <onMatchException>")
                .append(HOLD)
                .append("</onMatchException>\n")
                .append("                <errorProcessor>")
                .append(HOLD)
                .append("</errorProcessor>\n")
                .append("                <ldapUrl>")
                .append(server)
                .append("</ldapUrl>\n")
                .append("                <ldapBaseDn>")
                .append(baseDn)
                .append("</ldapBaseDn>\n");
        if (bindDn != null) {
            s.append("                <ldapBindDn>")
                    .append(bindDn)
                    .append("</ldapBindDn>\n")
                    .append("                <ldapPasswordSecret>")
                    .append(passwordSecret)
                    .append("</ldapPasswordSecret>\n");
        }
        return s.append("                <trustAnchors>conf/smime/ca.pem</trustAnchors>\n")
                .toString();
    }

    private static String holdProcessor() {
        return "        <!-- mailsec: local mail that reached the S/MIME step while its certificate directory was\n"
                + "             down (a lookup refused or timed out); never delivered in clear. Once the directory\n"
                + "             answers, send it back to local-delivery through WebAdmin:\n"
                + "               curl -XPATCH 'http://127.0.0.1:8000/mailRepositories/var%2Fmail%2F"
                + HOLD
                + "/mails?action=reprocess&processor=local-delivery'\n"
                + "             Reprocessing while it is still down is harmless: the mail is held again. -->\n"
                + "        <processor state=\""
                + HOLD
                + "\" enableJmx=\"true\">\n"
                + "            <mailet match=\"All\" class=\"dev.mailsec.mailets.HoldInRepository\">\n"
                + "                <repositoryPath>file://var/mail/"
                + HOLD
                + "/</repositoryPath>\n"
                + "            </mailet>\n"
                + "        </processor>\n\n";
    }
}
