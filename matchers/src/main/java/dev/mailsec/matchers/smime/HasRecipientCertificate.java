package dev.mailsec.matchers.smime;

import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.matchers.Conditions;
import dev.mailsec.smime.RecipientCertificates;
import dev.mailsec.smime.SmimeSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * Returns the recipients that have a usable S/MIME certificate in the certificate folder (valid
 * now, key usage for encryption, e-mail protection; chained to trust anchors when given), so a
 * pipeline can split them: the matched recipients go through the mailet (e.g. {@code
 * EncryptSmime}), the others continue below it. A lookup fault throws, so James routes the mail to
 * its error processor rather than treating the recipient as having no certificate.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.smime.HasRecipientCertificate=/etc/james/smime/certs" class="dev.mailsec.mailets.smime.EncryptSmime">
 *     <certificateFolder>/etc/james/smime/certs</certificateFolder>
 * </mailet>
 * }</pre>
 *
 * The condition is the certificate folder, or an LDAP URL with the base DN as its path ({@code
 * HasRecipientCertificate=ldap://ldap.example.com:389/ou=people,dc=example,dc=com}), searched
 * anonymously or, as Active Directory requires, with a service account whose password is an OPAQUE
 * DKM secret: {@code ldap://dc1.example.com/ou=people,dc=example,dc=com;
 * bindDn=cn=mailsec,ou=services,dc=example,dc=com; passwordSecret=ldap/mailsec} (and {@code ;
 * dkmConfig=FILE}, default {@code conf/dkm.properties}). Either may end with {@code ;
 * trustAnchors=FILE}: then, as in {@code EncryptSmime} with the same anchors, a certificate must
 * also chain to them and not be revoked. A missing folder, a malformed URL, an unknown option or a
 * secret that does not exist fails the start.
 */
public class HasRecipientCertificate extends GenericMatcher {

    private RecipientCertificates certificates;

    public HasRecipientCertificate() {}

    public HasRecipientCertificate(RecipientCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public void init() throws MessagingException {
        if (certificates != null) {
            return;
        }
        certificates =
                Conditions.read(
                        "HasRecipientCertificate",
                        getCondition(),
                        c ->
                                c.engine(
                                        v ->
                                                SmimeSettings.recipientCertificatesFromCondition(
                                                        "HasRecipientCertificate", v)));
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        return PerMailGuard.call(getClass().getSimpleName(), () -> matchRecipients(mail));
    }

    private Collection<MailAddress> matchRecipients(Mail mail) throws MessagingException {
        List<MailAddress> matched = new ArrayList<>();
        for (MailAddress r : mail.getRecipients()) {
            try {
                if (certificates.usableFor(r.asString()).isPresent()) {
                    matched.add(r);
                }
            } catch (IOException e) {
                throw new MessagingException(
                        "HasRecipientCertificate: certificate lookup failed for " + r.asString(),
                        e);
            }
        }
        return matched;
    }

    @Override
    public String getMatcherInfo() {
        return "HasRecipientCertificate: matches the recipients with a usable S/MIME certificate";
    }
}
