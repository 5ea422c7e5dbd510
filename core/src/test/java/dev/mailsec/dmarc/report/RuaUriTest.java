package dev.mailsec.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuaUriTest {

    @Test
    void sizesShouldBePowersOfTwoByUnit() {
        assertThat(RuaUri.parse("mailto:a@b.test!10k").orElseThrow().maxBytes()).hasValue(10240);
        assertThat(RuaUri.parse("mailto:a@b.test!2m").orElseThrow().maxBytes()).hasValue(2L << 20);
        assertThat(RuaUri.parse("mailto:a@b.test!500").orElseThrow().maxBytes()).hasValue(500);
        assertThat(RuaUri.parse("mailto:a@b.test").orElseThrow().maxBytes()).isEmpty();
    }

    @Test
    void addressesShouldBeReadFromMailtoOnly() {
        RuaUri u = RuaUri.parse(" MAILTO:Dmarc%2Breports@Example.COM?subject=x ").orElseThrow();
        assertThat(u.address()).isEqualTo("Dmarc+reports@Example.COM");
        assertThat(u.domain()).isEqualTo("example.com");
        assertThat(RuaUri.parse("https://example.com/dmarc")).isEmpty();
        assertThat(RuaUri.parse("mailto:a@b.test!10x")).isEmpty();
        assertThat(RuaUri.parse("mailto:nobody")).isEmpty();
        assertThat(RuaUri.parse("mailto:a@b.test%0d%0aBcc: x@y.test")).isEmpty();
        assertThat(RuaUri.parse("mailto:a@b.test!99999999999999999")).isEmpty();
    }
}
