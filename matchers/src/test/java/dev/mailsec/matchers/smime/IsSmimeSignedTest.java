package dev.mailsec.matchers.smime;

import static dev.mailsec.matchers.smime.SmimeMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IsSmimeSignedTest {

    private final IsSmimeSigned matcher = new IsSmimeSigned();

    @Test
    void matchesDetachedAndOpaqueSignaturesWithEveryRecipient() throws Exception {
        assertThat(
                        matcher.match(
                                mail(
                                        "multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b")))
                .hasSize(2);
        assertThat(
                        matcher.match(
                                mail(
                                        "application/pkcs7-mime; smime-type=signed-data; name=smime.p7m")))
                .hasSize(2);
    }

    @Test
    void doesNotMatchPgpEncryptedOrPlainMail() throws Exception {
        assertThat(
                        matcher.match(
                                mail(
                                        "multipart/signed; protocol=\"application/pgp-signature\"; boundary=b")))
                .isEmpty();
        assertThat(matcher.match(mail("application/pkcs7-mime; smime-type=enveloped-data")))
                .isEmpty();
        assertThat(matcher.match(mail("application/x-pkcs7-mime; smime-type=enveloped-data")))
                .isEmpty();
        assertThat(matcher.match(mail("text/plain"))).isEmpty();
    }
}
