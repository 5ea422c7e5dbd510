package dev.mailsec.authres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthenticationResultsTest {

    @Test
    void rendersResultsReasonsAndProperties() {
        AuthenticationResults ar =
                AuthenticationResults.of(
                        "mx.example.net",
                        List.of(
                                MethodResult.builder("dkim", "pass")
                                        .property("header", "d", "example.com")
                                        .property("header", "i", "alice@example.com")
                                        .property("header", "b", "ab/cd+EF")
                                        .build(),
                                MethodResult.builder("dkim", "fail")
                                        .reason("body hash did not verify")
                                        .property("header", "d", "example.org")
                                        .build()));
        assertThat(ar.value())
                .isEqualTo(
                        "mx.example.net; dkim=pass header.d=example.com header.i=alice@example.com"
                                + " header.b=\"ab/cd+EF\"; dkim=fail (body hash did not verify) header.d=example.org");
        assertThat(ar.foldedValue())
                .isEqualTo(
                        "mx.example.net;\r\n\tdkim=pass header.d=example.com header.i=alice@example.com"
                                + " header.b=\"ab/cd+EF\";\r\n\tdkim=fail (body hash did not verify) header.d=example.org");
    }

    @Test
    void hostileValuesCannotInjectResultsOrLines() {
        AuthenticationResults ar =
                AuthenticationResults.of(
                        "mx.example.net",
                        List.of(
                                MethodResult.builder("dkim", "fail")
                                        .reason("x) ; dkim=pass (\r\nX-Evil: 1")
                                        .property("header", "i", "a\"b;dkim=pass\r\n@example.com")
                                        .build()));
        assertThat(ar.value())
                .isEqualTo(
                        "mx.example.net; dkim=fail (x\\) ; dkim=pass \\(X-Evil: 1)"
                                + " header.i=\"a\\\"b;dkim=pass@example.com\"");
        assertThat(ar.value()).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void noResultsRendersNone() {
        assertThat(AuthenticationResults.of("mx", List.of()).headerLine())
                .isEqualTo("Authentication-Results: mx; none");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "mx.example.net; dkim=pass|true",
                "MX.Example.NET; dkim=pass|true",
                "  (forged by a sender) mx.example.net 1; dkim=pass|true",
                "\"mx.example.net\"; dkim=pass|true",
                "mx.example.net.evil; dkim=pass|false",
                "other.example.net; dkim=pass header.d=mx.example.net|false",
                "|false",
            })
    void recognisesFieldsClaimingOurAuthservId(String value, boolean ours) {
        assertThat(AuthenticationResults.claims(value == null ? "" : value, "mx.example.net"))
                .isEqualTo(ours);
    }

    @Test
    void foldedCommentsBeforeTheIdAreSkipped() {
        assertThat(
                        AuthenticationResults.claims(
                                "(a (nested \\) x) comment)\r\n\tmx.example.net;dkim=pass",
                                "mx.example.net"))
                .isTrue();
    }

    @Test
    void badAuthservIdIsRefusedWithTheValue() {
        assertThatThrownBy(() -> AuthenticationResults.of("mx example;", List.of()))
                .hasMessage("must be a host name such as mx.example.com, got 'mx example;'");
    }

    @Test
    void appendedToAddsAfterOurResultsAndReplacesNone() {
        AuthenticationResults spf =
                AuthenticationResults.of(
                        "mx.example.net", List.of(MethodResult.builder("spf", "pass").build()));
        assertThat(spf.appendedTo("mx.example.net;\r\n\tdkim=pass header.d=example.com"))
                .isEqualTo("mx.example.net;\r\n\tdkim=pass header.d=example.com;\r\n\tspf=pass");
        assertThat(spf.appendedTo("mx.example.net;\r\n\tnone"))
                .isEqualTo("mx.example.net;\r\n\tspf=pass");
        assertThatThrownBy(() -> spf.appendedTo("other.example; dkim=pass"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
