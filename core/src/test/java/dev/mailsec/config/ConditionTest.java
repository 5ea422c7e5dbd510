package dev.mailsec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mailsec.mail.DomainName.Option;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

    enum Colour {
        RED,
        GREEN;

        static Colour parse(String word) {
            for (Colour c : values()) {
                if (c.name().equalsIgnoreCase(word)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("not a colour: '" + word + "'");
        }
    }

    @Test
    void textIsTrimmedAndAbsentOrBlankIsEmpty() {
        assertThat(Condition.of("M", "  a,b ").text()).isEqualTo("a,b");
        assertThat(Condition.of("M", null).text()).isEmpty();
        assertThat(Condition.of("M", null).isEmpty()).isTrue();
        assertThat(Condition.of("M", " \t").isEmpty()).isTrue();
        assertThat(Condition.of("M", " \t").optional()).isEmpty();
        assertThat(Condition.of("M", " x ").optional()).contains("x");
        assertThat(Condition.of("M", "x").owner()).isEqualTo("M");
    }

    @Test
    void requiredNamesTheMatcherWhatItWantsAnExampleAndTheValue() {
        assertThat(Condition.of("M", "a").required("list domains", "a.test").text()).isEqualTo("a");
        assertThatThrownBy(() -> Condition.of("M", null).required("list domains", "a.test"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: the condition must list domains, e.g. M=a.test; got ''");
        assertThatThrownBy(() -> Condition.of("M", "  ").required("list domains", "a.test"))
                .hasMessage("M: the condition must list domains, e.g. M=a.test; got '  '");
        assertThatThrownBy(() -> Condition.of("M", "").requiredOr("a condition is required"))
                .hasMessage("M: a condition is required");
    }

    @Test
    void theExceptionNamesConditionAsItsParameterAndKeepsTheValue() {
        ConfigException e =
                (ConfigException) catchThrowable(() -> Condition.of("M", " a,,b").values("tag"));
        assertThat(e.parameter()).isEqualTo("condition");
        assertThat(e.value()).isEqualTo(" a,,b");
    }

    @Test
    void itemsAreSplitOnCommasAndTrimmedKeepingEmptyOnes() {
        assertThat(Condition.of("M", " a , b,,c ").items()).containsExactly("a", "b", "", "c");
        assertThat(Condition.of("M", "a,").items()).containsExactly("a", "");
        assertThat(Condition.of("M", null).items()).isEmpty();
    }

    @Test
    void valuesRefuseAnEmptyOneAndOneThePredicateRefuses() {
        assertThat(Condition.of("M", "a, b").values("tag")).containsExactly("a", "b");
        assertThatThrownBy(() -> Condition.of("M", "a,,b").values("tag"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: empty tag in 'a,,b'");
        assertThatThrownBy(() -> Condition.of("M", "a,").values("tag"))
                .hasMessage("M: empty tag in 'a,'");
        assertThatThrownBy(() -> Condition.of("M", "a, x=y").values("label", v -> !v.contains("=")))
                .hasMessage("M: not a label: 'x=y' in 'a, x=y'");
    }

    @Test
    void domainsFollowTheOneDomainRule() {
        assertThat(Condition.of("M", "A.test, b.TEST,a.test").domains())
                .containsExactly("a.test", "b.test");
        assertThat(Condition.of("M", "b\u00fccher.test.").domains(Option.IDN, Option.TRAILING_DOT))
                .containsExactly("xn--bcher-kva.test");
        assertThatThrownBy(() -> Condition.of("M", "a.test,bad domain").domains())
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: not a domain name: 'bad domain' in 'a.test,bad domain'");
        assertThatThrownBy(() -> Condition.of("M", "a.test,").domains())
                .hasMessage("M: not a domain name: '' in 'a.test,'");
        // the rule's label limit: 63
        String tooLong = "a".repeat(64) + ".test";
        assertThatThrownBy(() -> Condition.of("M", tooLong).domains())
                .hasMessage("M: not a domain name: '" + tooLong + "' in '" + tooLong + "'");
        assertThatThrownBy(() -> Condition.of("M", "b\u00fccher.test").domains())
                .hasMessageContaining("not a domain name");
        assertThat(Condition.of("M", "x").domain(" a.test ", Option.TRIM)).isEqualTo("a.test");
    }

    @Test
    void enumSetKeepsTheParsersMessageAndAddsTheHint() {
        assertThat(Condition.of("M", "red, GREEN").enumSet(Colour.class, Colour::parse, ""))
                .containsExactly(Colour.RED, Colour.GREEN);
        assertThatThrownBy(
                        () ->
                                Condition.of("M", "red,blue")
                                        .enumSet(Colour.class, Colour::parse, "; use red or green"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: not a colour: 'blue'; use red or green");
        assertThatThrownBy(
                        () ->
                                Condition.of("M", "red,,green")
                                        .enumSet(Colour.class, Colour::parse, ""))
                .hasMessage("M: not a colour: ''");
    }

    @Test
    void oneOfTakesAWordInAnyCaseOrTheDefault() {
        Map<String, Integer> words = new LinkedHashMap<>();
        words.put("relaxed", 1);
        words.put("strict", 2);
        assertThat(Condition.of("M", " STRICT ").oneOf(words, 0)).isEqualTo(2);
        assertThat(Condition.of("M", "").oneOf(words, 0)).isEqualTo(0);
        assertThat(Condition.of("M", null).oneOf(words, 0)).isEqualTo(0);
        assertThatThrownBy(() -> Condition.of("M", "loose").oneOf(words, 0))
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: the condition must be 'relaxed' or 'strict', got 'loose'");
        words.put("none", 3);
        assertThatThrownBy(() -> Condition.of("M", "x").oneOf(words, 0))
                .hasMessage("M: the condition must be 'relaxed', 'strict' or 'none', got 'x'");
    }

    @Test
    void parseIsOptionalAndNamesWhatItExpects() {
        assertThat(Condition.of("M", " 12 ").parse("a number", Integer::parseInt)).contains(12);
        assertThat(Condition.of("M", " ").parse("a number", Integer::parseInt)).isEmpty();
        assertThatThrownBy(
                        () ->
                                Condition.of("M", "TLSv9")
                                        .parse(
                                                "a version",
                                                v -> {
                                                    throw new IllegalArgumentException(
                                                            "expected TLSv1.2, got '" + v + "'");
                                                }))
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: the condition must be a version, expected TLSv1.2, got 'TLSv9'");
        assertThatThrownBy(
                        () ->
                                Condition.of("M", "x")
                                        .parse(
                                                "a version",
                                                v -> {
                                                    throw new IllegalArgumentException();
                                                }))
                .hasMessage("M: the condition must be a version, got 'x'");
    }

    @Test
    void engineMessagesAreTakenAsTheyStand() {
        String raw = Condition.of("M", " raw ").engine(v -> v);
        assertThat(raw).isEqualTo(" raw ");
        assertThatThrownBy(
                        () ->
                                Condition.of("M", "/no/such")
                                        .engine(
                                                v -> {
                                                    throw new IllegalArgumentException(
                                                            "M: no such folder: " + v);
                                                }))
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: no such folder: /no/such");
    }

    @Test
    void partsPathsAndFailuresSpeakForTheSameMatcher() {
        Condition c = Condition.of("M", "pass,x@a.test");
        assertThatThrownBy(() -> c.part("pass,x").values("word", v -> v.equals("pass")))
                .hasMessage("M: not a word: 'x' in 'pass,x'");
        assertThat(c.path("config", "/etc/x.xml")).isEqualTo(Path.of("/etc/x.xml"));
        assertThatThrownBy(() -> c.path("config", ""))
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: config: a path is required, got ''");
        assertThat(c.fail("no connector 'x'").getMessage()).isEqualTo("M: no connector 'x'");
        assertThat(c.bad("tag", "y").getMessage())
                .isEqualTo("M: not a tag: 'y' in 'pass,x@a.test'");
    }
}
