package dev.mailsec.cli.install;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample pipeline's inbound authentication steps adapted to an installation: VerifyDkim,
 * VerifySpf, VerifyArc, VerifyDmarc and RecordDmarcResult ask {@code --dns-servers} when given;
 * reports are counted in a file store in the James home, or in the cluster's PostgreSQL when {@code
 * --rights-store} names one; a DMARC reject goes where {@code --dmarc-reject} says, with {@code
 * smtp} adding the RefuseDmarcReject handler to the server that receives from outside.
 */
final class AuthenticationSteps {

    private static final String DEMO = SamplePipeline.DEMO_DOMAIN;
    private static final Pattern DNS_TIMEOUT =
            Pattern.compile("(?m)^([ \\t]*)(<dnsTimeoutMillis>3000</dnsTimeoutMillis>)");
    private static final String HOOK_MARKER = "<!-- mailsec: DMARC at SMTP time:";
    static final String REPORT_STORE = "file:var/mailsec/dmarc-reports";

    private AuthenticationSteps() {}

    /** mailetcontainer.xml's authentication steps for this installation. */
    static String mailets(String text, InstallOptions o) {
        String file = "mailetcontainer.xml";
        String domain = o.domains.get(0);
        text =
                SamplePipeline.replace(
                        text,
                        "<orgName>" + DEMO + "</orgName>",
                        "<orgName>" + domain + "</orgName>",
                        file);
        text =
                SamplePipeline.replace(
                        text,
                        "<reportEmail>dmarc-reports@" + DEMO + "</reportEmail>",
                        "<reportEmail>dmarc-reports@" + domain + "</reportEmail>",
                        file);
        text =
                SamplePipeline.replace(
                        text,
                        "<store>" + REPORT_STORE + "</store>",
                        "<store>" + SamplePipeline.xmlEscape(reportStore(o)) + "</store>",
                        file);
        text =
                SamplePipeline.replace(
                        text,
                        "<processor>dmarc-reject</processor>",
                        "<processor>" + o.dmarcReject.processor + "</processor>",
                        file);
        return dnsServers(text, o);
    }

    /** smtpserver.xml with the RefuseDmarcReject handler when {@code --dmarc-reject smtp}. */
    static String smtpHook(String text, InstallOptions o) {
        int start = text.indexOf(HOOK_MARKER);
        int end = start < 0 ? -1 : text.indexOf("-->", start);
        if (end < 0) {
            throw new IllegalStateException(
                    "the bundle's conf/smtpserver.xml no longer contains '"
                            + HOOK_MARKER
                            + "': the installer and its sample disagree");
        }
        if (o.dmarcReject != DmarcReject.SMTP) {
            return text;
        }
        String indent = indentBefore(text, start);
        String hook =
                "<!-- mailsec: DMARC at SMTP time (docs/dmarc.md): mail from outside whose DMARC"
                        + " disposition is reject\n"
                        + indent
                        + "     is refused with 550 5.7.1; its verdicts go on to the mailets, which"
                        + " do not evaluate again.\n"
                        + indent
                        + "     Keep trustedArcSealers, allowDomains and allowNetworks the same as"
                        + " VerifyDmarc's. -->\n"
                        + indent
                        + "<handler class=\"dev.mailsec.smtp.dmarc.RefuseDmarcReject\">\n"
                        + indent
                        + "    <dnsTimeoutMillis>3000</dnsTimeoutMillis>\n"
                        + indent
                        + "    <!-- <trustedArcSealers>lists.example.org, google.com</trustedArcSealers> -->\n"
                        + indent
                        + "    <!-- <allowDomains>partner.example</allowDomains> -->\n"
                        + indent
                        + "    <!-- <allowNetworks>192.0.2.0/24, 2001:db8::/32</allowNetworks> -->\n"
                        + indent
                        + "</handler>";
        return dnsServers(text.substring(0, start) + hook + text.substring(end + 3), o);
    }

    /** The report store's URL: the cluster's PostgreSQL (--rights-store) or a file store. */
    static String reportStore(InstallOptions o) {
        return o.rightsStore != null ? o.rightsStore : REPORT_STORE;
    }

    static boolean storeHasPassword(InstallOptions o) {
        return reportStore(o).toLowerCase(Locale.ROOT).contains("password=");
    }

    private static String dnsServers(String text, InstallOptions o) {
        if (o.dnsServers == null) {
            return text;
        }
        String servers = Matcher.quoteReplacement(SamplePipeline.xmlEscape(o.dnsServers));
        return DNS_TIMEOUT
                .matcher(text)
                .replaceAll("$1<dnsServers>" + servers + "</dnsServers>\n$1$2");
    }

    private static String indentBefore(String text, int at) {
        int lineStart = text.lastIndexOf('\n', at) + 1;
        return text.substring(lineStart, at);
    }
}
