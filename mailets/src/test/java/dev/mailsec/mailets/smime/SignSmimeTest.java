package dev.mailsec.mailets.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.smime.SmimeResult;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class SignSmimeTest extends SmimeMailetTestBase {

    @Test
    void signSmimeShouldSignWithTheFromAddressKey() throws Exception {
        FakeMail mail = mail("bob@example.test");
        signer().service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("multipart/signed");
        assertThat(mail.getMessage().getMessageID()).isEqualTo("<m1@example.test>");
        assertThat(verifier().verify(Fixtures.bytes(mail.getMessage()), null).result())
                .isEqualTo(SmimeResult.PASS);
        assertThat(mail.getAttribute(SignSmime.SIGNED_BY).get().getValue().value())
                .isEqualTo("alice@example.test");
    }

    @Test
    void signSmimeShouldLeaveMailOfSendersWithoutKeysUnsigned() throws Exception {
        FakeMail mail =
                FakeMail.builder()
                        .name("m2")
                        .mimeMessage(Fixtures.message(Fixtures.MESSAGE.replace("alice@", "zoe@")))
                        .recipient("bob@example.test")
                        .build();
        byte[] before = Fixtures.bytes(mail.getMessage());
        signer().service(mail);
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(before);
    }
}
