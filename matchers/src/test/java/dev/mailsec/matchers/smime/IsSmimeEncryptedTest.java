package dev.mailsec.matchers.smime;

import static dev.mailsec.matchers.smime.SmimeMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IsSmimeEncryptedTest {

    private final IsSmimeEncrypted matcher = new IsSmimeEncrypted();

    @Test
    void matchesEnvelopedAndAuthEnvelopedDataWithEveryRecipient() throws Exception {
        assertThat(matcher.match(mail("application/x-pkcs7-mime; smime-type=enveloped-data")))
                .hasSize(2);
        assertThat(matcher.match(mail("application/pkcs7-mime; smime-type=authEnveloped-data")))
                .hasSize(2);
    }

    @Test
    void doesNotMatchSignedOrPlainMail() throws Exception {
        assertThat(
                        matcher.match(
                                mail(
                                        "application/pkcs7-mime; smime-type=signed-data; name=smime.p7m")))
                .isEmpty();
        assertThat(
                        matcher.match(
                                mail(
                                        "multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b")))
                .isEmpty();
        assertThat(matcher.match(mail("text/plain"))).isEmpty();
    }
}
