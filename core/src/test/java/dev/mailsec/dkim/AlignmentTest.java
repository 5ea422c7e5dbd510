package dev.mailsec.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlignmentTest {

    @ParameterizedTest
    @CsvSource({
        "example.com, example.com, STRICT",
        "Example.COM., example.com, STRICT",
        "mail.example.com, example.com, RELAXED",
        "example.com, news.example.com, RELAXED",
        "example.co.uk, other.co.uk, NONE",
        "a.example.co.uk, b.example.co.uk, RELAXED",
        "evil.github.io, victim.github.io, NONE",
        "a.example.test, b.example.test, RELAXED",
        "example.org, example.com, NONE",
    })
    void alignmentUsesThePublicSuffixList(String d, String from, Alignment expected) {
        assertThat(Alignment.of(d, from)).isEqualTo(expected);
    }
}
