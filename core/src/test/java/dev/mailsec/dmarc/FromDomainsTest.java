package dev.mailsec.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FromDomainsTest {

    @Test
    void readsDisplayNamesCommentsAndGroups() {
        assertThat(FromDomains.of(List.of("\"Smith, J\" <j@Example.COM> (work)")).domains)
                .containsExactly("example.com");
        assertThat(FromDomains.of(List.of("team: a@one.example, b@two.example;")).domains)
                .containsExactly("one.example", "two.example");
        assertThat(FromDomains.of(List.of("a@x.example", "b@y.example")).domains)
                .containsExactly("x.example", "y.example");
    }

    @Test
    void internationalizedDomainIsPunycode() {
        assertThat(FromDomains.of(List.of("Jörg <j@bücher.example>")).domains)
                .containsExactly("xn--bcher-kva.example");
    }

    @Test
    void missingOrBrokenFromHasAProblem() {
        assertThat(FromDomains.of(List.of()).problem).isEqualTo("no From field");
        assertThat(FromDomains.of(List.of("undisclosed")).problem).isEqualTo("no address in From");
        assertThat(FromDomains.of(List.of("a@[192.0.2.1]")).domains).isEmpty();
        assertThat(FromDomains.of(List.of("a@localhost")).domains).isEmpty();
    }

    @Test
    void fiftyAddressesOfOneDomainAreOneDomain() {
        String fifty = String.join(", ", Collections.nCopies(50, "x@example.com"));
        assertThat(FromDomains.of(List.of(fifty)).domains).containsExactly("example.com");
    }

    @Test
    void tooManyAddressesAreRefused() {
        String many = String.join(", ", Collections.nCopies(101, "x@example.com"));
        assertThat(FromDomains.of(List.of(many)).domains).isEmpty();
        assertThat(FromDomains.of(List.of(many)).problem).contains("more than 100");
    }
}
