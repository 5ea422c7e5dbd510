package dev.mailsec.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZoneFileKeyRecordSourceTest {

    @Test
    void parsesOpendkimGenkeyOutputDirectivesAndQuoting() {
        String zone =
                "$ORIGIN example.com.\n"
                        + "$TTL 3600\n"
                        + "s1._domainkey\tIN\tTXT\t( \"v=DKIM1; h=sha256; k=rsa; \"\n"
                        + "\t  \"p=MIIB\" )  ; ----- DKIM key s1 for example.com\n"
                        + "s2._domainkey.example.org. 300 IN TXT \"v=DKIM1; \" \"p=\\\"x\\\\\\059\"\n"
                        + "@ IN MX 10 mx.example.com.\n"
                        + "  IN TXT \"second record at the origin\"\n"
                        + "S3._DomainKey 60 TXT \"p=\"\n";
        ZoneFileKeyRecordSource z = ZoneFileKeyRecordSource.parse(zone, "test.zone");
        assertThat(z.lookup("s1._domainkey.example.com").records())
                .containsExactly("v=DKIM1; h=sha256; k=rsa; p=MIIB");
        assertThat(z.lookup("S2._domainkey.example.org").records())
                .containsExactly("v=DKIM1; p=\"x\\;");
        assertThat(z.lookup("example.com").records())
                .containsExactly("second record at the origin");
        assertThat(z.lookup("s3._domainkey.example.com").records()).containsExactly("p=");
        assertThat(z.lookup("nope._domainkey.example.com").status())
                .isEqualTo(KeyLookup.Status.NOT_FOUND);
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThatThrownBy(
                        () ->
                                ZoneFileKeyRecordSource.parse(
                                        "a TXT \"x\"\nb TXT ( \"y\"\n", "k.zone"))
                .hasMessage("k.zone:3: unbalanced '('");
        assertThatThrownBy(() -> ZoneFileKeyRecordSource.parse("a TXT \"x\n", "k.zone"))
                .hasMessageContaining("unterminated quoted string");
        assertThatThrownBy(() -> ZoneFileKeyRecordSource.parse("$INCLUDE other\n", "k.zone"))
                .hasMessage("k.zone:1: unsupported directive $INCLUDE");
    }
}
