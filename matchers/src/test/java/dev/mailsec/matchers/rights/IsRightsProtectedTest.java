package dev.mailsec.matchers.rights;

import static dev.mailsec.matchers.rights.RightsMatcherMails.init;
import static dev.mailsec.matchers.rights.RightsMatcherMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IsRightsProtectedTest {

    static final String WRAPPER =
            "Content-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
                    + "--o\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
                    + "--a\r\nContent-Type: text/plain\r\n\r\nalice sent you a protected message\r\n"
                    + "--a\r\nContent-Type: text/html\r\n\r\n<p>protected</p>\r\n--a--\r\n"
                    + "--o\r\nContent-Type: application/vnd.mailsec.protected+json; name=\"message.mailsec\"\r\n"
                    + "Content-Disposition: attachment; filename=\"message.mailsec\"\r\n\r\n{\"format\":\"mailsec-protected/1\"}\r\n--o--\r\n";

    @Test
    void
            isRightsProtectedShouldMatchAWrapperWithThePackageButNotAMessageThatOnlyCarriesOneAttached()
                    throws Exception {
        IsRightsProtected matcher = init(new IsRightsProtected(), "IsRightsProtected", null);
        assertThat(matcher.match(mail(WRAPPER))).hasSize(2);
        assertThat(
                        matcher.match(
                                mail(
                                        "Content-Type: Application/Vnd.Mailsec.Protected+JSON\r\n\r\n{}\r\n")))
                .hasSize(2);
        // the header alone is not a wrapper
        assertThat(
                        matcher.match(
                                mail(
                                        "X-Mailsec-Protected: licence=abc; template=do-not-forward\r\n\r\nx\r\n")))
                .isEmpty();
        // a wrapper forwarded as an attachment: the outer message is not itself protected
        String forwarded =
                "Content-Type: multipart/mixed; boundary=\"f\"\r\n\r\n--f\r\nContent-Type: text/plain\r\n\r\nfyi\r\n"
                        + "--f\r\nContent-Type: message/rfc822\r\n\r\nFrom: alice@mailsec.test\r\nMIME-Version: 1.0\r\n"
                        + WRAPPER
                        + "\r\n--f--\r\n";
        assertThat(matcher.match(mail(forwarded))).isEmpty();
        assertThat(
                        matcher.match(
                                mail(
                                        "Content-Type: multipart/mixed; boundary=\"broken\r\n\r\nx\r\n")))
                .isEmpty();
    }
}
