package dev.mailsec.tls.connector.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class TlsaRecordTest {

    private static final X509Certificate CERT = DanePki.selfSigned("mx.partner.test").certificate;

    @Test
    void parseShouldReadThePresentationFormWithSplitHex() throws Exception {
        TlsaRecord record =
                TlsaRecord.parse(
                        " 3 1 1 0123456789abcdef0123456789ABCDEF\n 0123456789abcdef0123456789abcdef ");

        assertThat(record.usage()).isEqualTo(3);
        assertThat(record.selector()).isEqualTo(1);
        assertThat(record.matchingType()).isEqualTo(1);
        assertThat(record.usable()).isTrue();
        assertThat(record.toString())
                .isEqualTo(
                        "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    }

    @Test
    void parseShouldRefuseMalformedText() {
        assertThatThrownBy(() -> TlsaRecord.parse("3 1 1"))
                .isInstanceOf(MalformedTlsaException.class);
        assertThatThrownBy(() -> TlsaRecord.parse("256 1 1 00"))
                .hasMessageContaining("not an octet: '256'");
        assertThatThrownBy(() -> TlsaRecord.parse("3 1 1 0g"))
                .hasMessageContaining("not hexadecimal");
        assertThatThrownBy(() -> TlsaRecord.parse("3 1 1 abc"))
                .hasMessageContaining("not hexadecimal");
    }

    @Test
    void fromRdataShouldReadTheWireForm() throws Exception {
        TlsaRecord record = TlsaRecord.fromRdata(new byte[] {2, 0, 0, 1, 2, 3});

        assertThat(record).isEqualTo(TlsaRecord.parse("2 0 0 010203"));
        assertThatThrownBy(() -> TlsaRecord.fromRdata(new byte[] {3, 1, 1}))
                .isInstanceOf(MalformedTlsaException.class);
    }

    @Test
    void onlyDaneUsagesKnownSelectorsAndDigestsOfTheRightLengthShouldBeUsable() throws Exception {
        String sha256 = "00".repeat(32);
        String sha512 = "00".repeat(64);
        assertThat(TlsaRecord.parse("3 1 1 " + sha256).usable()).isTrue();
        assertThat(TlsaRecord.parse("2 0 2 " + sha512).usable()).isTrue();
        assertThat(TlsaRecord.parse("3 0 0 30").usable()).isTrue();
        // RFC 7672 section 3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP
        assertThat(TlsaRecord.parse("0 1 1 " + sha256).usable()).isFalse();
        assertThat(TlsaRecord.parse("1 1 1 " + sha256).usable()).isFalse();
        assertThat(TlsaRecord.parse("4 1 1 " + sha256).usable()).isFalse();
        assertThat(TlsaRecord.parse("3 2 1 " + sha256).usable()).isFalse();
        assertThat(TlsaRecord.parse("3 1 3 " + sha256).usable()).isFalse();
        assertThat(TlsaRecord.parse("3 1 1 " + sha512).usable()).isFalse();
        assertThat(TlsaRecord.parse("3 1 2 " + sha256).usable()).isFalse();
    }

    @Test
    void matchesShouldCompareEachSelectorAndMatchingType() throws Exception {
        byte[] spki = CERT.getPublicKey().getEncoded();
        byte[] full = CERT.getEncoded();
        String spkiSha256 = hex(MessageDigest.getInstance("SHA-256").digest(spki));
        String certSha512 = hex(MessageDigest.getInstance("SHA-512").digest(full));

        assertThat(TlsaRecord.parse("3 1 1 " + spkiSha256).matches(CERT)).isTrue();
        assertThat(TlsaRecord.parse("3 0 2 " + certSha512).matches(CERT)).isTrue();
        assertThat(TlsaRecord.parse("3 0 0 " + hex(full)).matches(CERT)).isTrue();
        assertThat(TlsaRecord.parse("3 1 0 " + hex(spki)).matches(CERT)).isTrue();
        assertThat(TlsaRecord.parse("3 0 1 " + spkiSha256).matches(CERT)).isFalse();
        assertThat(TlsaRecord.parse("1 1 1 " + spkiSha256).matches(CERT)).isFalse();
        assertThat(TlsaRecord.of(3, 1, 1, CERT)).isEqualTo(TlsaRecord.parse("3 1 1 " + spkiSha256));
    }

    static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b & 0xff));
        }
        return text.toString();
    }
}
