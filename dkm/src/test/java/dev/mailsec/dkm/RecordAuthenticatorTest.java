package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.RecordAuthenticator.Flavor;
import dev.mailsec.dkm.internal.Aead;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordAuthenticatorTest {
    private final byte[] key = RecordAuthenticator.deriveKey(Aead.newKey(), "root");
    private final byte[] body = "a record".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSealedRecordShouldOpenToItsBodyAndVerify() throws Exception {
        byte[] sealed = RecordAuthenticator.seal(key, "secret/p", Flavor.GROUP, "mail", 2, 7, body);
        RecordAuthenticator.Opened o = RecordAuthenticator.open(sealed);
        assertThat(o.body).isEqualTo(body);
        assertThat(o.flavor).isEqualTo(Flavor.GROUP);
        assertThat(o.keyName).isEqualTo("mail");
        assertThat(o.keyVersion).isEqualTo(2);
        assertThat(o.counter).isEqualTo(7);
        assertThat(RecordAuthenticator.verify(key, "secret/p", o)).isTrue();
    }

    @Test
    void anyChangedByteAnotherKeyOrAnotherNameShouldFailTheMac() throws Exception {
        byte[] sealed =
                RecordAuthenticator.seal(key, "identity/eve", Flavor.ROOT, null, 0, 1, body);
        for (int i = 0; i < body.length; i++) {
            byte[] b = sealed.clone();
            b[i] ^= 1;
            assertThat(RecordAuthenticator.verify(key, "identity/eve", RecordAuthenticator.open(b)))
                    .isFalse();
        }
        RecordAuthenticator.Opened o = RecordAuthenticator.open(sealed);
        assertThat(RecordAuthenticator.verify(key, "identity/bob", o)).isFalse();
        assertThat(
                        RecordAuthenticator.verify(
                                RecordAuthenticator.deriveKey(Aead.newKey(), "root"),
                                "identity/eve",
                                o))
                .isFalse();
        // the counter is MAC'd: an older counter cannot be written into a newer record
        byte[] older = RecordAuthenticator.seal(key, "identity/eve", Flavor.ROOT, null, 0, 2, body);
        RecordAuthenticator.Opened o2 = RecordAuthenticator.open(older);
        assertThat(
                        RecordAuthenticator.verify(
                                key,
                                "identity/eve",
                                new RecordAuthenticator.Opened(
                                        o2.body, o2.flavor, o2.keyName, o2.keyVersion, 1, o2.mac)))
                .isFalse();
    }

    @Test
    void aRecordWithoutTrailerShouldOpenAsNullAndABrokenTrailerShouldBeRefused() throws Exception {
        assertThat(RecordAuthenticator.open(body)).isNull();
        assertThat(RecordAuthenticator.open(new byte[0])).isNull();
        byte[] sealed = RecordAuthenticator.seal(key, "meta", Flavor.ROOT, null, 0, 1, body);
        int lenAt = sealed.length - 12;
        byte[] huge = sealed.clone();
        huge[lenAt] = 0x7f;
        assertThatThrownBy(() -> RecordAuthenticator.open(huge))
                .isInstanceOf(RecordAuthenticator.BadTrailerException.class);
        byte[] negative = sealed.clone();
        negative[lenAt] = (byte) 0x80;
        assertThatThrownBy(() -> RecordAuthenticator.open(negative))
                .isInstanceOf(RecordAuthenticator.BadTrailerException.class);
        byte[] onlyMagic = Arrays.copyOfRange(sealed, sealed.length - 12, sealed.length);
        assertThatThrownBy(() -> RecordAuthenticator.open(onlyMagic))
                .isInstanceOf(RecordAuthenticator.BadTrailerException.class);
    }
}
