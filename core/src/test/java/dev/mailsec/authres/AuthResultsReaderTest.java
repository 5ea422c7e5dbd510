package dev.mailsec.authres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class AuthResultsReaderTest {

    @Test
    void readsMethodsResultsAndPropertiesSkippingComments() {
        AuthResultsReader r =
                AuthResultsReader.read(
                        "lists.example.org 1; dkim=pass (good (really)) header.d=Example.com"
                                + " header.s=\"s;1\";\r\n spf = fail smtp.mailfrom=a@b.example;"
                                + " arc/1=none");
        assertThat(r.authservId()).isEqualTo("lists.example.org");
        assertThat(r.entries()).hasSize(3);
        assertThat(r.entries().get(0).method()).isEqualTo("dkim");
        assertThat(r.entries().get(0).properties())
                .containsEntry("header.d", "Example.com")
                .containsEntry("header.s", "s;1");
        assertThat(r.has("spf", "fail")).isTrue();
        assertThat(r.has("arc", "none")).isTrue();
        assertThat(r.has("dkim", "fail")).isFalse();
    }

    @Test
    void resultsInsideCommentsDoNotCount() {
        AuthResultsReader r = AuthResultsReader.read("x; dkim=fail (dkim=pass; spf=pass)");
        assertThat(r.has("dkim", "pass")).isFalse();
        assertThat(r.has("spf", "pass")).isFalse();
        assertThat(r.has("dkim", "fail")).isTrue();
    }

    @Test
    void hostileInputReadsAsNothing() {
        assertThat(AuthResultsReader.read(null).entries()).isEmpty();
        assertThat(AuthResultsReader.read("x; dkim=pass (unclosed").entries()).isEmpty();
        assertThat(AuthResultsReader.read("x; dkim=pass \"unclosed").entries()).isEmpty();
        String deep = "x; dkim=pass " + "(".repeat(100) + ")".repeat(100);
        assertThat(AuthResultsReader.read(deep).entries()).isEmpty();
        String huge = "x; dkim=pass " + "a".repeat(AuthResultsReader.MAX_LENGTH);
        assertThat(AuthResultsReader.read(huge).entries()).isEmpty();
    }

    @Test
    void resultsAreCapped() {
        String many = "x; " + String.join("; ", Collections.nCopies(500, "dkim=pass"));
        assertThat(AuthResultsReader.read(many).entries()).hasSize(AuthResultsReader.MAX_RESULTS);
    }
}
