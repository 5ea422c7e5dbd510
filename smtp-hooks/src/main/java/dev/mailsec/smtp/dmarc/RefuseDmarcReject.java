package dev.mailsec.smtp.dmarc;

import dev.mailsec.authentication.InboundAuthentication;
import dev.mailsec.authentication.InboundParameters;
import dev.mailsec.authentication.Verdicts;
import dev.mailsec.config.Parameters;
import dev.mailsec.dmarc.DmarcPolicy;
import dev.mailsec.dmarc.DmarcResult;
import dev.mailsec.dmarc.DmarcVerdict;
import dev.mailsec.smtp.HookParameters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses at the end of DATA a message whose DMARC disposition is {@code reject} (RFC 7489 section
 * 6.7 and 10.3: after pct sampling and the local and ARC overrides), with {@code 550 5.7.1}. It
 * runs DKIM, SPF, ARC and DMARC itself ({@link InboundAuthentication}) over the message streamed
 * from James's store; it writes no header: it leaves its verdicts on the accepted mail ({@link
 * VerdictsLeft}), and the mailets ({@code VerifyDkim}, {@code VerifySpf}, {@code VerifyArc}, {@code
 * VerifyDmarc}) write them instead of evaluating again. Mail of an authenticated session (our
 * users' submissions) is not judged here.
 *
 * <pre>{@code
 * <handler class="dev.mailsec.smtp.dmarc.RefuseDmarcReject">
 *     <dnsServers>127.0.0.1:53</dnsServers>
 *     <trustedArcSealers>lists.example.org</trustedArcSealers>
 * </handler>
 * }</pre>
 *
 * Parameters, named and checked as in {@code VerifyDmarc}: {@code zoneFile} or {@code dnsServers},
 * {@code dnsTimeoutMillis}, {@code dnsCacheSize}; {@code orgDomain}, {@code allowDomains}, {@code
 * allowNetworks}, {@code trustedArcSealers}, {@code samplingSeed}; as in {@code VerifyDkim} and
 * {@code VerifyArc}: {@code minRsaBits}, {@code maxSignatures}, {@code bodyLengthPolicy}, {@code
 * clockDriftSeconds}, {@code maxKeyLookups}; and {@code deferOnTemperror} (default false: a DNS
 * temperror is accepted and left to the mailets; true answers {@code 451 4.7.0}). A failure of the
 * evaluation itself is logged and the message accepted: the SMTP session never sees an exception.
 */
public class RefuseDmarcReject implements JamesMessageHook {

    private static final Logger LOG = LoggerFactory.getLogger(RefuseDmarcReject.class);
    static final String DEFER_ON_TEMPERROR = "deferOnTemperror";

    private InboundAuthentication authentication;
    private boolean deferOnTemperror;

    @Override
    public void init(Configuration config) throws ConfigurationException {
        String owner = getClass().getName();
        Set<String> known = new HashSet<>(InboundParameters.NAMES);
        known.add(DEFER_ON_TEMPERROR);
        Parameters p = HookParameters.read(owner, config, known);
        HookParameters.reading(
                () -> {
                    deferOnTemperror = p.bool(DEFER_ON_TEMPERROR, false);
                    authentication = InboundParameters.read(owner, p, "");
                    return null;
                });
    }

    /** For tests: the evaluation over in-memory DNS. */
    void init(InboundAuthentication authentication, boolean deferOnTemperror) {
        this.authentication = authentication;
        this.deferOnTemperror = deferOnTemperror;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        try {
            return decide(session, mail);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            LOG.warn(
                    "DMARC at SMTP time: mail {} of session {} accepted unjudged: {}",
                    mail.getName(),
                    session.getSessionID(),
                    e.toString());
            return HookResult.DECLINED;
        }
    }

    private HookResult decide(SMTPSession session, Mail mail) throws Exception {
        if (session.getUsername() != null) {
            // our own users' submissions: their DKIM signature comes later, in relay
            return HookResult.DECLINED;
        }
        MimeMessage message = mail.getMessage();
        InetSocketAddress remote = session.getRemoteAddress();
        InetAddress ip = remote == null ? null : remote.getAddress();
        String helo =
                session.getAttachment(
                                SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection)
                        .orElse("");
        String mailFrom = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
        // streamed from James's stored message: never more than the engines' own bounds in memory
        Verdicts v =
                authentication.evaluate(
                        out -> write(message, out),
                        new InboundAuthentication.Envelope(ip, helo, mailFrom, mail.getName()));
        DmarcVerdict d = v.dmarc();
        if (d.result() == DmarcResult.FAIL && d.disposition() == DmarcPolicy.REJECT) {
            LOG.info(
                    "refused mail {} of session {}: {}", mail.getName(), session.getSessionID(), d);
            return HookResult.builder()
                    .hookReturnCode(HookReturnCode.deny())
                    .smtpReturnCode("550")
                    .smtpDescription(rejection(d))
                    .build();
        }
        if (deferOnTemperror && d.result() == DmarcResult.TEMPERROR) {
            return HookResult.builder()
                    .hookReturnCode(HookReturnCode.denySoft())
                    .smtpReturnCode("451")
                    .smtpDescription(
                            "4.7.0 Temporary error evaluating the DMARC policy of "
                                    + d.fromDomain()
                                    + ": try again later")
                    .build();
        }
        VerdictsLeft.put(mail, v);
        return HookResult.DECLINED;
    }

    private static void write(MimeMessage message, OutputStream out) throws IOException {
        try {
            message.writeTo(out);
        } catch (MessagingException e) {
            throw new IOException("the message cannot be read: " + e.getMessage(), e);
        }
    }

    /** RFC 7489 section 10.3's reply, the From domain named. */
    static String rejection(DmarcVerdict d) {
        return "5.7.1 Email rejected per DMARC policy for "
                + d.fromDomain()
                + " (p="
                + d.policy().name().toLowerCase(Locale.ROOT)
                + ": not authenticated by an aligned DKIM signature or SPF)";
    }
}
