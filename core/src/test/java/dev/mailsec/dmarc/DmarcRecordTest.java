package dev.mailsec.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class DmarcRecordTest {

    @Test
    void parsesEveryTag() {
        DmarcRecord r =
                DmarcRecord.parse(
                        "v=DMARC1; p=reject; sp=quarantine; np=reject; pct=50; adkim=s; aspf=s;"
                                + " fo=1:d; rua=mailto:a@example.com,mailto:b@example.com!10m;"
                                + " ruf=mailto:f@example.com; ri=3600; rf=afrf; t=y; psd=n");
        assertThat(r.isValid()).isTrue();
        assertThat(r.p()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(r.sp()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(r.np()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(r.pct()).isEqualTo(50);
        assertThat(r.strictDkim()).isTrue();
        assertThat(r.strictSpf()).isTrue();
        assertThat(r.fo()).isEqualTo("1:d");
        assertThat(r.rua()).containsExactly("mailto:a@example.com", "mailto:b@example.com!10m");
        assertThat(r.ruf()).containsExactly("mailto:f@example.com");
        assertThat(r.ri()).isEqualTo(3600);
        assertThat(r.testing()).isTrue();
        assertThat(r.psd()).isEqualTo("n");
    }

    @Test
    void defaultsWhenTagsAreAbsent() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=quarantine");
        assertThat(r.sp()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(r.np()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(r.npTag()).isEmpty();
        assertThat(r.pct()).isEqualTo(100);
        assertThat(r.strictDkim()).isFalse();
        assertThat(r.rua()).isEmpty();
        assertThat(r.ri()).isEqualTo(86400);
    }

    @Test
    void badValuesFallBackToDefaultsAndUnknownTagsAreIgnored() {
        DmarcRecord r =
                DmarcRecord.parse(
                        "v=DMARC1; p=REJECT; pct=abc; adkim=x; fo=9; ri=-1; np=maybe; zz=top; psd=q");
        assertThat(r.isValid()).isTrue();
        assertThat(r.p()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(r.pct()).isEqualTo(100);
        assertThat(r.strictDkim()).isFalse();
        assertThat(r.fo()).isEqualTo("0");
        assertThat(r.ri()).isEqualTo(86400);
        assertThat(r.npTag()).isEmpty();
        assertThat(r.psd()).isEqualTo("u");
    }

    @Test
    void versionMustComeFirstAndBeExact() {
        assertThat(DmarcRecord.parse("p=reject; v=DMARC1").kind())
                .isEqualTo(DmarcRecord.Kind.NOT_DMARC);
        assertThat(DmarcRecord.parse("v=dmarc1; p=reject").kind())
                .isEqualTo(DmarcRecord.Kind.NOT_DMARC);
        assertThat(DmarcRecord.parse("v=spf1 -all").kind()).isEqualTo(DmarcRecord.Kind.NOT_DMARC);
        assertThat(DmarcRecord.parse(null).kind()).isEqualTo(DmarcRecord.Kind.NOT_DMARC);
        assertThat(DmarcRecord.parse("v = DMARC1 ;p=none").isValid()).isTrue();
    }

    @Test
    void missingPolicyWithReportingUriActsAsNone() {
        // RFC 7489 section 6.6.3 step 6
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; rua=mailto:d@example.com");
        assertThat(r.isValid()).isTrue();
        assertThat(r.p()).isEqualTo(DmarcPolicy.NONE);
        DmarcRecord badSp =
                DmarcRecord.parse("v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com");
        assertThat(badSp.p()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void missingPolicyWithoutReportingUriIsInvalid() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=bogus; rua=not a uri");
        assertThat(r.kind()).isEqualTo(DmarcRecord.Kind.INVALID);
        assertThat(r.problem()).contains("p=");
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=x").kind())
                .isEqualTo(DmarcRecord.Kind.INVALID);
    }

    @Test
    void pctAboveHundredIsHundredAndFirstOccurrenceCounts() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=none; pct=1000; p=reject");
        assertThat(r.pct()).isEqualTo(100);
        assertThat(r.p()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void oversizedRecordIsInvalidAndItsTextShortened() {
        String huge = "v=DMARC1; p=reject; x=" + "a".repeat(DmarcRecord.MAX_LENGTH);
        DmarcRecord r = DmarcRecord.parse(huge);
        assertThat(r.kind()).isEqualTo(DmarcRecord.Kind.INVALID);
        assertThat(r.text().length()).isLessThan(100);
    }

    @Test
    void aThousandReportingUrisAreCutToTheLimit() {
        String uris = String.join(",", Collections.nCopies(1000, "mailto:r@x.io"));
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=none; rua=" + uris);
        assertThat(r.isValid()).isTrue();
        assertThat(r.rua()).hasSize(DmarcRecord.MAX_URIS);
    }

    @Test
    void invalidUrisAreDropped() {
        DmarcRecord r =
                DmarcRecord.parse(
                        "v=DMARC1; p=none; rua=mailto:a@x.example!5q, ,junk,https://r.example/x");
        assertThat(r.rua()).containsExactly("https://r.example/x");
    }
}
