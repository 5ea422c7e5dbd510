package dev.mailsec.dkim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderFieldTest {

    @Test
    void relaxedHeaderCanonicalizationFollowsRfc6376Example() {
        // RFC 6376 section 3.4.5
        byte[] in = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        HeaderSection s = HeaderSection.parse(in, in.length - 2, 100);
        assertThat(s.fields()).hasSize(2);
        assertThat(new String(s.fields().get(0).relaxed(), StandardCharsets.US_ASCII))
                .isEqualTo("a:X\r\n");
        assertThat(new String(s.fields().get(1).relaxed(), StandardCharsets.US_ASCII))
                .isEqualTo("b:Y Z\r\n");
        assertThat(new String(s.fields().get(1).simple(), StandardCharsets.US_ASCII))
                .isEqualTo("B : Y\t\r\n\tZ  \r\n");
        assertThat(s.fields().get(1).lowerName()).isEqualTo("b");
    }

    @Test
    void bareLfHeadersAreReadAsCrlfAndJunkLinesAreSkipped() {
        byte[] in =
                "From mbox line\nSubject: a\n b\nno colon here\nX: 1\n"
                        .getBytes(StandardCharsets.US_ASCII);
        HeaderSection s = HeaderSection.parse(in, in.length, 100);
        assertThat(s.fields())
                .extracting(HeaderField::raw)
                .containsExactly("Subject: a\r\n b\r\n", "X: 1\r\n");
    }

    @Test
    void bValueIsRemovedWithItsFolding() {
        String raw = "DKIM-Signature: v=1; b=abc\r\n def; bh=xyz=;\r\n";
        assertThat(TagList.withoutBValue(raw, 14))
                .isEqualTo("DKIM-Signature: v=1; b=; bh=xyz=;\r\n");
        String last = "DKIM-Signature: v=1; bh=x;\r\n b=abc\r\n def\r\n";
        assertThat(TagList.withoutBValue(last, 14))
                .isEqualTo("DKIM-Signature: v=1; bh=x;\r\n b=\r\n");
    }
}
