package dev.mailsec.dkim.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

class KeyRecordsTest {

    private static PublicKey key(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA")) {
            generator.initialize(2048);
        }
        return generator.generateKeyPair().getPublic();
    }

    @Test
    void publishesShouldAcceptTheRecordAsPublishedWithOtherSpacingAndTags() throws Exception {
        PublicKey rsa = key("RSA");
        String txt = KeyRecords.txt(rsa);
        String p = txt.substring(txt.indexOf("p=") + 2);

        assertThat(KeyRecords.publishes(txt, rsa)).isTrue();
        assertThat(
                        KeyRecords.publishes(
                                "v=DKIM1;  h=sha256 ; p="
                                        + p.substring(0, 40)
                                        + " "
                                        + p.substring(40),
                                rsa))
                .as("k= defaults to rsa; folding whitespace inside p= is ignored")
                .isTrue();
        PublicKey ed25519 = key("Ed25519");
        assertThat(KeyRecords.publishes(KeyRecords.txt(ed25519), ed25519)).isTrue();
    }

    @Test
    void publishesShouldRefuseAnotherKeyAnotherTypeARevokedKeyOrGarbage() throws Exception {
        PublicKey rsa = key("RSA");
        String txt = KeyRecords.txt(rsa);

        assertThat(KeyRecords.publishes(KeyRecords.txt(key("RSA")), rsa)).isFalse();
        assertThat(KeyRecords.publishes(txt.replace("k=rsa", "k=ed25519"), rsa)).isFalse();
        assertThat(KeyRecords.publishes("v=DKIM1; k=rsa; p=", rsa)).as("revoked").isFalse();
        assertThat(KeyRecords.publishes("not a tag list;;", rsa)).isFalse();
        assertThat(KeyRecords.publishes("v=DKIM1; k=rsa", rsa)).isFalse();
    }
}
