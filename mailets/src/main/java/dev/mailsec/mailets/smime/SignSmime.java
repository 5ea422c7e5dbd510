package dev.mailsec.mailets.smime;

import dev.mailsec.smime.SignatureAlgorithm;
import dev.mailsec.smime.SigningMode;
import dev.mailsec.smime.SmimeAttributeNames;
import dev.mailsec.smime.SmimeException;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeKeySource;
import dev.mailsec.smime.SmimeSettings;
import dev.mailsec.smime.SmimeSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.mail.MessagingException;
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
 *     <keyFolder>/etc/james/smime/keys</keyFolder>
 *     <mode>detached</mode>
 *     <algorithm>rsa-sha256</algorithm>
 *     <signer>postmaster@example.com</signer>
 * </mailet>
 * }</pre>
 * {@code keyFolder}: required, folder of {@code NAME.key} + {@code NAME.crt} PEM pairs (the DKM
 * key manager replaces it later). {@code mode}: {@code detached} (default) or {@code opaque}.
 * {@code algorithm}: {@code rsa-sha256} (default for RSA keys), {@code rsa-sha384}, {@code rsa-sha512},
 * {@code rsa-pss-sha256}, ..., {@code ecdsa-sha256} (default for EC keys). {@code signer}: optional
 * address whose key signs every message instead of the From: address's.
 */
public class SignSmime extends GenericMailet {

    private static final Logger LOGGER = LoggerFactory.getLogger(SignSmime.class);
    static final AttributeName SIGNED_BY = AttributeName.of(SmimeAttributeNames.SIGNED_BY);

    private SmimeKeySource keys;
    private SmimeSigner signer;
    private Optional<String> fixedSigner;

    public SignSmime() {
    }

    /** For tests and for a DKM-backed source: the key folder parameter is then not read. */
    public SignSmime(SmimeKeySource keys) {
        this.keys = keys;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("keyFolder", "mode", "algorithm", "signer"));
        try {
            if (keys == null) {
                keys = SmimeSettings.keyFolder("keyFolder", getInitParameter("keyFolder"));
            }
            SigningMode mode = SmimeSettings.signingMode("mode", getInitParameter("mode"));
            SignatureAlgorithm algorithm = SmimeSettings.signatureAlgorithm("algorithm", getInitParameter("algorithm"));
            signer = new SmimeSigner(mode, algorithm);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("SignSmime: " + e.getMessage(), e);
        }
        String s = getInitParameter("signer");
        if (s != null && !s.contains("@")) {
            throw new MessagingException("SignSmime: signer must be a mail address, got '" + s + "'");
        }
        fixedSigner = Optional.ofNullable(s).map(String::trim);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> address = fixedSigner.isPresent() ? fixedSigner : SmimeMail.from(mail.getMessage());
        if (address.isEmpty()) {
            LOGGER.info("SignSmime: {} has no From: address, left unsigned", mail.getName());
            return;
        }
        List<SmimeKeyPair> candidates;
        try {
            candidates = keys.keysFor(address.get());
        } catch (IOException e) {
            throw new MessagingException("SignSmime: key store unavailable for " + address.get(), e);
        }
        if (candidates.isEmpty()) {
            LOGGER.info("SignSmime: no S/MIME key for {}, {} left unsigned", address.get(), mail.getName());
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            signer.sign(new ByteArrayInputStream(SmimeMail.bytes(mail)), out, candidates.get(0));
        } catch (SmimeException e) {
            LOGGER.warn("SignSmime: cannot sign {} as {}: {}", mail.getName(), address.get(), e.getMessage());
            return;
        } catch (IOException e) {
            throw new MessagingException("SignSmime: I/O error while signing", e);
        }
        SmimeMail.replace(mail, out.toByteArray());
        mail.setAttribute(new Attribute(SIGNED_BY, AttributeValue.of(address.get())));
    }

    @Override
    public String getMailetInfo() {
        return "SignSmime: signs mail with the sender's S/MIME key";
    }
}
