package dev.mailsec.mailets.smime;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.mailets.metrics.JamesMetrics;
import dev.mailsec.metrics.Metrics;
import dev.mailsec.smime.DecryptionResult;
import dev.mailsec.smime.SmimeAttributeNames;
import dev.mailsec.smime.SmimeBuffer;
import dev.mailsec.smime.SmimeDecryptor;
import dev.mailsec.smime.SmimeException;
import dev.mailsec.smime.SmimeKeyAccessException;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeKeySource;
import dev.mailsec.smime.SmimeKind;
import dev.mailsec.smime.SmimeMessages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts S/MIME mail for local recipients with their keys, current and archived versions, so mail
 * encrypted to an older certificate still opens after a rollover. The decrypted message keeps the
 * sender's MIME structure byte for byte. {@code dev.mailsec.smime.decryption} records what was
 * opened with which key ({@code key=bob-2025 content=aes256-gcm transport=rsa-oaep}). A message no
 * key opens, or a broken envelope, goes to {@code processor} unchanged, with {@code
 * dev.mailsec.smime.decryption.failure} saying why. Mail that is not encrypted passes untouched.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.smime.IsSmimeEncrypted" class="dev.mailsec.mailets.smime.DecryptSmime">
 *     <keySource>dkm</keySource>
 *     <dkmConfig>conf/dkm.properties</dkmConfig>
 *     <processor>smime-undecryptable</processor>
 * </mailet>
 * }</pre>
 *
 * Keys: exactly one of {@code keySource=dkm} (every readable version of DKM secret {@code
 * smime/<address>}, read through {@code dkmConfig}, default {@code conf/dkm.properties}) or {@code
 * keyFolder} ({@code NAME.key} + {@code NAME.crt} PEM pairs). {@code processor}: where
 * undecryptable mail goes, default {@code error}; the failure attribute says {@code
 * KEY_STORE_UNAVAILABLE} (temporary: the mail can be sent back through this mailet later), {@code
 * KEY_ACCESS_DENIED}, or the envelope's fault. {@code onKeyStoreFailure}: where mail goes, still
 * encrypted, while the key store is unreachable ({@code KEY_STORE_UNAVAILABLE} only), default
 * {@code processor}; point it at a processor that requeues the mail with a delay (James's {@code
 * AtMost} matcher and {@code Requeue} mailet, see docs/smime.md) so it is decrypted once the key
 * store is back.
 */
public class DecryptSmime extends GenericMailet {

    private static final Logger LOGGER = LoggerFactory.getLogger(DecryptSmime.class);
    static final AttributeName DECRYPTION = AttributeName.of(SmimeAttributeNames.DECRYPTION);
    static final AttributeName FAILURE = AttributeName.of(SmimeAttributeNames.DECRYPTION_FAILURE);

    private SmimeKeySource keys;
    private final SmimeDecryptor decryptor = new SmimeDecryptor();
    private String processor;
    private String keyStoreFailureProcessor;
    private Metrics metrics = Metrics.NONE;

    public DecryptSmime() {}

    public DecryptSmime(SmimeKeySource keys) {
        this.keys = keys;
    }

    @Override
    public void init() throws MessagingException {
        Set<String> known = new HashSet<>(SmimeKeys.PARAMETERS);
        known.add("processor");
        known.add("onKeyStoreFailure");
        InitParameters.checkKnown("DecryptSmime", getInitParameterNames(), known);
        try {
            if (keys == null) {
                keys = SmimeKeys.from(this::getInitParameter);
            }
        } catch (IllegalArgumentException e) {
            throw new MessagingException("DecryptSmime: " + e.getMessage(), e);
        }
        Parameters params = Parameters.of("DecryptSmime", this::getInitParameter);
        try {
            processor = params.processor("processor", Mail.ERROR);
            keyStoreFailureProcessor = params.processor("onKeyStoreFailure", processor);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
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
        if (SmimeMessages.classify(mail.getMessage().getContentType()) != SmimeKind.ENCRYPTED) {
            return;
        }
        List<SmimeKeyPair> candidates = new ArrayList<>();
        try {
            Set<String> seen = new LinkedHashSet<>();
            for (MailAddress r : mail.getRecipients()) {
                for (SmimeKeyPair k : keys.keysFor(r.asString())) {
                    if (seen.add(k.id())) {
                        candidates.add(k);
                    }
                }
            }
        } catch (SmimeKeyAccessException e) {
            fail(mail, "KEY_ACCESS_DENIED", e.getMessage());
            return;
        } catch (IOException e) {
            fail(mail, "KEY_STORE_UNAVAILABLE", e.getMessage(), keyStoreFailureProcessor);
            return;
        }
        SmimeBuffer message = SmimeMail.bytes(mail);
        SmimeBuffer out = SmimeBuffer.sizedFor(message.size(), 100);
        DecryptionResult result;
        try {
            result = decryptor.decrypt(message.in(), out, candidates);
        } catch (SmimeException e) {
            fail(mail, e.reason().name(), e.getMessage());
            return;
        } catch (IOException e) {
            fail(mail, "IO_ERROR", e.getMessage());
            return;
        }
        SmimeMail.replace(mail, out);
        mail.removeAttribute(FAILURE); // left by an earlier attempt while the key store was down
        mail.setAttribute(new Attribute(DECRYPTION, AttributeValue.of(result.summary())));
        metrics.smime("decrypt");
    }

    private void fail(Mail mail, String reason, String detail) {
        fail(mail, reason, detail, processor);
    }

    private void fail(Mail mail, String reason, String detail, String target) {
        LOGGER.info(
                "DecryptSmime: {} not decrypted ({}: {}); sent to {} unchanged",
                mail.getName(),
                reason,
                detail,
                target);
        mail.setAttribute(new Attribute(FAILURE, AttributeValue.of(reason)));
        mail.setState(target);
        metrics.smimeFailure("decrypt");
    }

    @Override
    public String getMailetInfo() {
        return "DecryptSmime: decrypts S/MIME mail with the recipients' current and archived keys";
    }
}
