package dev.mailsec.mailets.smime;

import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.metrics.JamesMetrics;
import dev.mailsec.mailets.mime.HeaderChanges;
import dev.mailsec.metrics.Metrics;
import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.SmimeAttributeNames;
import dev.mailsec.smime.SmimeBuffer;
import dev.mailsec.smime.SmimeMessages;
import dev.mailsec.smime.SmimeResult;
import dev.mailsec.smime.SmimeSettings;
import dev.mailsec.smime.SmimeVerification;
import dev.mailsec.smime.SmimeVerifier;
import java.io.IOException;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Verifies S/MIME signatures: the signature, the chain to {@code trustAnchors} (JDK PKIX),
 * revocation from the CRL distribution points (cached), key usage, and that the signer is the From:
 * address. Records {@code dev.mailsec.smime.verification.result} ({@code
 * none|pass|fail|policy|neutral|temperror|permerror}, RFC 7281), {@code .reason} and {@code
 * .signer}, and prepends {@code Authentication-Results: <authservId>; smime=pass
 * body.smime-identifier=...}, removing any such header that claims our authserv-id (RFC 8601
 * section 5). Optionally strips the signature, leaving the signed content byte for byte.
 * Capabilities of valid signers are remembered so that {@code EncryptSmime} can answer them with
 * AES-GCM and RSA-OAEP.
 *
 * <p>LDAP CRL distribution points that name no server (Active Directory's {@code ldap:///CN=...})
 * are read from {@code crlLdapUrl}, bound as {@code crlLdapBindDn} with the password in the OPAQUE
 * DKM secret {@code crlLdapPasswordSecret} (read through {@code dkmConfig}), trusting {@code
 * crlLdapTlsTrustAnchors} for an {@code ldaps://} server; the bind is sent to that server only.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.smime.IsSmimeSigned" class="dev.mailsec.mailets.smime.VerifySmime">
 *     <trustAnchors>/etc/james/smime/trusted-cas.pem</trustAnchors>
 *     <checkRevocation>true</checkRevocation>
 *     <authservId>mx.example.com</authservId>
 *     <stripSignature>false</stripSignature>
 * </mailet>
 * }</pre>
 */
public class VerifySmime extends GenericMailet {

    public static final AttributeName RESULT =
            AttributeName.of(SmimeAttributeNames.VERIFICATION_RESULT);
    public static final AttributeName REASON =
            AttributeName.of(SmimeAttributeNames.VERIFICATION_REASON);
    public static final AttributeName SIGNER =
            AttributeName.of(SmimeAttributeNames.VERIFICATION_SIGNER);
    static final String HEADER = "Authentication-Results";

    private SmimeVerifier verifier;
    private final PeerCapabilityCache capabilities;
    private String authservId;
    private boolean strip;
    private Metrics metrics = Metrics.NONE;

    public VerifySmime() {
        this(null, PeerCapabilityCache.shared());
    }

    public VerifySmime(SmimeVerifier verifier, PeerCapabilityCache capabilities) {
        this.verifier = verifier;
        this.capabilities = capabilities;
    }

    @Override
    public void init() throws MessagingException {
        Set<String> known = new HashSet<>(SmimeSettings.CRL_LDAP_PARAMETERS);
        known.addAll(
                Set.of(
                        "trustAnchors",
                        "checkRevocation",
                        "ocsp",
                        "ocspFailure",
                        "ocspTimeout",
                        "authservId",
                        "stripSignature",
                        SmimeKeys.DKM_CONFIG));
        InitParameters.checkKnown("VerifySmime", getInitParameterNames(), known);
        Parameters params = Parameters.of(this::getInitParameter);
        try {
            if (verifier == null) {
                Set<TrustAnchor> anchors =
                        SmimeSettings.trustAnchors(
                                "trustAnchors", getInitParameter("trustAnchors"));
                boolean revocation = params.bool("checkRevocation", true);
                boolean ocsp = params.bool("ocsp", true);
                verifier =
                        new SmimeVerifier(
                                SmimeSettings.chains(
                                        anchors,
                                        revocation,
                                        ocsp,
                                        SmimeSettings.ocspFailure(
                                                "ocspFailure", getInitParameter("ocspFailure")),
                                        SmimeSettings.seconds(
                                                "ocspTimeout", getInitParameter("ocspTimeout"), 5),
                                        SmimeSettings.crlLdapServer(
                                                this::getInitParameter,
                                                SmimeKeys.dkm(this::getInitParameter))),
                                Clock.systemUTC());
            }
            strip = params.bool("stripSignature", false);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("VerifySmime: " + e.getMessage(), e);
        }
        authservId = getInitParameter("authservId", "localhost").trim();
        if (authservId.isEmpty() || !authservId.matches("[A-Za-z0-9.-]+")) {
            throw new MessagingException(
                    "VerifySmime: authservId must be a host name, got '" + authservId + "'");
        }
    }

    /** James's metrics (docs/metrics.md); none outside James. */
    @Inject
    public void setMetricFactory(MetricFactory factory) {
        metrics = JamesMetrics.of(factory);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> process(mail));
    }

    private void process(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        SmimeVerification v;
        SmimeBuffer unwrapped = null;
        if (SmimeMessages.classify(message.getContentType()).isSigned()) {
            byte[] signed = SmimeMail.bytes(mail).toByteArray();
            SmimeBuffer out = strip ? SmimeBuffer.sizedFor(signed.length, 100) : null;
            try {
                v = verifier.verify(signed, out);
            } catch (IOException e) {
                throw new MessagingException("VerifySmime: cannot read the message", e);
            }
            if (out != null && out.size() > 0) {
                unwrapped = out;
            }
            metrics.smime("verify");
            if (v.result() != SmimeResult.PASS) {
                metrics.smimeFailure("verify");
            }
        } else {
            v = SmimeVerification.none();
        }
        if (unwrapped != null) {
            SmimeMail.replace(mail, unwrapped);
            message = mail.getMessage();
        }
        mail.setAttribute(new Attribute(RESULT, AttributeValue.of(v.result().keyword())));
        if (v.reason() != null) {
            mail.setAttribute(new Attribute(REASON, AttributeValue.of(v.reason())));
        }
        if (!v.signerAddresses().isEmpty()) {
            mail.setAttribute(
                    new Attribute(
                            SIGNER, AttributeValue.of(String.join(",", v.signerAddresses()))));
        }
        if (v.result() == SmimeResult.PASS && v.capabilities().isPresent()) {
            for (String a : v.signerAddresses()) {
                capabilities.remember(a, v.capabilities().get());
            }
        }
        removeForged(message);
        String value = authservId + "; " + v.authenticationResultsEntry();
        message.addHeader(HEADER, MimeUtility.fold(HEADER.length() + 2, value));
        HeaderChanges.save(mail);
    }

    /** RFC 8601 section 5: a header claiming our authserv-id that we did not write is removed. */
    private void removeForged(MimeMessage message) throws MessagingException {
        Enumeration<Header> headers = message.getAllHeaders();
        List<String> keep = new ArrayList<>();
        boolean forged = false;
        while (headers.hasMoreElements()) {
            Header h = headers.nextElement();
            if (h.getName().equalsIgnoreCase(HEADER)) {
                String v = MimeUtility.unfold(h.getValue()).trim();
                if (v.toLowerCase(Locale.ROOT).startsWith(authservId.toLowerCase(Locale.ROOT))
                        && v.substring(authservId.length()).trim().matches("^(\\d+\\s*)?;.*")) {
                    forged = true;
                    continue;
                }
                keep.add(h.getValue());
            }
        }
        if (forged) {
            message.removeHeader(HEADER);
            for (String k : keep) {
                message.addHeader(HEADER, k);
            }
        }
    }

    @Override
    public String getMailetInfo() {
        return "VerifySmime: verifies S/MIME signatures and records an RFC 7281 smime result";
    }
}
