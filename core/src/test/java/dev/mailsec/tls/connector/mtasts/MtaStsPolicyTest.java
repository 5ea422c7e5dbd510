package dev.mailsec.tls.connector.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MtaStsPolicyTest {

    @Test
    void parseShouldReadTheRfcExampleAndIgnoreUnknownKeys() {
        MtaStsPolicy policy =
                MtaStsPolicy.parse(
                        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                                + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\nextension: whatever\r\n");

        assertThat(policy.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(policy.mxPatterns())
                .containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(policy.maxAgeSeconds()).isEqualTo(604800);
    }

    @Test
    void allowsMxShouldTreatWildcardAsExactlyOneLabel() {
        MtaStsPolicy policy =
                MtaStsPolicy.parse(
                        "version: STSv1\nmode: testing\nmx: mail.example.com\nmx: *.example.net\nmax_age: 86400\n");

        assertThat(policy.allowsMx("MAIL.example.com.")).isTrue();
        assertThat(policy.allowsMx("mx1.example.net")).isTrue();
        assertThat(policy.allowsMx("example.net")).isFalse();
        assertThat(policy.allowsMx("a.mx1.example.net")).isFalse();
        assertThat(policy.allowsMx("mail.example.org")).isFalse();
    }

    @Test
    void parseShouldRefuseBrokenPolicies() {
        assertThatThrownBy(
                        () ->
                                MtaStsPolicy.parse(
                                        "version: STSv2\nmode: enforce\nmx: a.test\nmax_age: 1\n"))
                .hasMessageContaining("version must be STSv1, got 'STSv2'");
        assertThatThrownBy(
                        () ->
                                MtaStsPolicy.parse(
                                        "version: STSv1\nmode: strict\nmx: a.test\nmax_age: 1\n"))
                .hasMessageContaining("mode must be enforce, testing or none, got 'strict'");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmax_age: 1\n"))
                .hasMessageContaining("needs at least one mx");
        assertThatThrownBy(
                        () ->
                                MtaStsPolicy.parse(
                                        "version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 31557601\n"))
                .hasMessageContaining("max_age must be 0 to 31557600");
        assertThatThrownBy(() -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.test\n"))
                .hasMessageContaining("max_age is missing");
        assertThatThrownBy(
                        () ->
                                MtaStsPolicy.parse(
                                        "version: STSv1\nmode: enforce\nmx: a b\nmax_age: 1\n"))
                .hasMessageContaining("mx must be a host name");
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 1\n").mode())
                .isEqualTo(MtaStsPolicy.Mode.NONE);
    }

    @Test
    void recordShouldNeedVersionFirstAndAnId() {
        assertThat(MtaStsRecord.parse("v=STSv1; id=2026-11-23;"))
                .as("id is 1 to 32 letters and digits")
                .isEmpty();
        assertThat(MtaStsRecord.parse("v=STSv1; id=20261123T0000;").map(MtaStsRecord::id))
                .contains("20261123T0000");
        assertThat(MtaStsRecord.parse("v=STSv1; id=20261123;").map(MtaStsRecord::id))
                .contains("20261123");
        assertThat(MtaStsRecord.parse("id=1; v=STSv1;")).isEmpty();
        assertThat(MtaStsRecord.parse("v=spf1 -all")).isEmpty();
        assertThat(JndiTxtLookup.joinStrings("\"v=STSv1; \" \"id=42;\""))
                .isEqualTo("v=STSv1; id=42;");
        assertThat(JndiTxtLookup.joinStrings("v=STSv1;id=42;")).isEqualTo("v=STSv1;id=42;");
    }
}
