package dev.mailsec.mailets.smime;

import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.metrics.JamesMetrics;
import dev.mailsec.metrics.Metrics;
import dev.mailsec.smime.SignatureAlgorithm;
import dev.mailsec.smime.SigningMode;
import dev.mailsec.smime.SmimeAttributeNames;
import dev.mailsec.smime.SmimeBuffer;
import dev.mailsec.smime.SmimeException;
import dev.mailsec.smime.SmimeKeyAccessException;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeKeySource;
import dev.mailsec.smime.SmimeSettings;
import dev.mailsec.smime.SmimeSigner;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs outgoing mail with the S/MIME key of the From: address (or of a fixed signer, e.g. the
 * domain's key), SHA-256 or better, detached {@code multipart/signed} by default. Mail whose sender
 * has no key passes unsigned (logged). Sets {@code dev.mailsec.smime.signedBy}.
 *
 * <pre>{@code
 * <mailet match="SenderIsLocal" class="dev.mailsec.mailets.smime.SignSmime">
 *     <keySource>dkm</keySource>
 *     <dkmConfig>conf/dkm.properties</dkmConfig>
 *     <mode>detached</mode>
 *     <algorithm>rsa-sha256</algorithm>
 *     <onKeyStoreFailure>smime-key-store-down</onKeyStoreFailure>
 * </mailet>
 * }</pre>
 *
 * Keys: exactly one of {@code keySource=dkm} (the primary version of DKM secret {@code
 * smime/<address>}, read through {@code dkmConfig}, default {@code conf/dkm.properties}) or {@code
 * keyFolder} (a folder of {@code NAME.key} + {@code NAME.crt} PEM pairs). {@code
 * onKeyStoreFailure}: processor for mail that cannot be signed because the key store is down or
 * refuses; without it the mailet throws and James applies {@code onMailetException}. {@code mode}:
 * {@code detached} (default) or {@code opaque}. {@code algorithm}: {@code rsa-sha256} (default for
 * RSA keys), {@code rsa-sha384}, {@code rsa-sha512}, {@code rsa-pss-sha256}, ..., {@code
 * ecdsa-sha256} (default for EC keys). {@code signer}: optional address whose key signs every
 * message instead of the From: address's.
 */
public class SignSmime extends GenericMailet {

    private static final Logger LOGGER = LoggerFactory.getLogger(SignSmime.class);
    static final AttributeName SIGNED_BY = AttributeName.of(SmimeAttributeNames.SIGNED_BY);

    private SmimeKeySource keys;
    private SmimeSigner signer;
    private Optional<String> fixedSigner;
    private String failureProcessor;
    private Metrics metrics = Metrics.NONE;

    public SignSmime() {}

    /** For tests and for a DKM-backed source: the key folder parameter is then not read. */
    public SignSmime(SmimeKeySource keys) {
        this.keys = keys;
    }

    @Override
    public void init() throws MessagingException {
        Set<String> known = new HashSet<>(SmimeKeys.PARAMETERS);
        known.addAll(Set.of("mode", "algorithm", "signer", "onKeyStoreFailure", "convert8bit"));
        InitParameters.checkKnown("SignSmime", getInitParameterNames(), known);
        Parameters params = Parameters.of(this::getInitParameter);
        try {
            if (keys == null) {
                keys = SmimeKeys.from(this::getInitParameter);
            }
            SigningMode mode = SmimeSettings.signingMode("mode", getInitParameter("mode"));
            SignatureAlgorithm algorithm =
                    SmimeSettings.signatureAlgorithm("algorithm", getInitParameter("algorithm"));
            signer = new SmimeSigner(mode, algorithm, params.bool("convert8bit", true));
            failureProcessor = params.processor("onKeyStoreFailure", null);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("SignSmime: " + e.getMessage(), e);
        }
        String s = getInitParameter("signer");
        if (s != null && !s.contains("@")) {
            throw new MessagingException(
                    "SignSmime: signer must be a mail address, got '" + s + "'");
        }
        fixedSigner = Optional.ofNullable(s).map(String::trim);
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
        Optional<String> address =
                fixedSigner.isPresent() ? fixedSigner : SmimeMail.from(mail.getMessage());
        if (address.isEmpty()) {
            LOGGER.info("SignSmime: {} has no From: address, left unsigned", mail.getName());
            return;
        }
        List<SmimeKeyPair> candidates;
        try {
            candidates = keys.keysFor(address.get());
        } catch (IOException | SmimeKeyAccessException e) {
            String why = "S/MIME key of " + address.get() + " unavailable (" + e.getMessage() + ")";
            if (failureProcessor != null) {
                LOGGER.warn(
                        "SignSmime: {} sent to processor {} unsigned: {}",
                        mail.getName(),
                        failureProcessor,
                        why);
                mail.setState(failureProcessor);
                metrics.smimeFailure("sign");
                return;
            }
            throw new MessagingException(
                    "SignSmime: " + why + "; mail " + mail.getName() + " not signed", e);
        }
        if (candidates.isEmpty()) {
            LOGGER.info(
                    "SignSmime: no S/MIME key for {}, {} left unsigned",
                    address.get(),
                    mail.getName());
            return;
        }
        SmimeBuffer message = SmimeMail.bytes(mail);
        SmimeBuffer out = SmimeBuffer.sizedFor(message.size(), 100);
        try {
            signer.sign(message.in(), out, candidates.get(0));
        } catch (SmimeException e) {
            LOGGER.warn(
                    "SignSmime: cannot sign {} as {}: {}",
                    mail.getName(),
                    address.get(),
                    e.getMessage());
            metrics.smimeFailure("sign");
            return;
        } catch (IOException e) {
            throw new MessagingException("SignSmime: I/O error while signing", e);
        }
        SmimeMail.replace(mail, out);
        mail.setAttribute(new Attribute(SIGNED_BY, AttributeValue.of(address.get())));
        metrics.smime("sign");
    }

    @Override
    public String getMailetInfo() {
        return "SignSmime: signs mail with the sender's S/MIME key";
    }
}
