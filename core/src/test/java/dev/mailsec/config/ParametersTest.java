package dev.mailsec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.mail.MessagingException;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private final Map<String, String> given = new HashMap<>();
    private final Parameters p = Parameters.of(given::get);

    @Test
    void stringsAreTrimmedAndBlankCountsAsAbsent() {
        given.put("a", "  x ");
        given.put("blank", "  ");
        assertThat(p.required("a")).isEqualTo("x");
        assertThat(p.optional("blank")).isEmpty();
        assertThat(p.optional("none", "d")).isEqualTo("d");
        assertThatThrownBy(() -> p.required("blank"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("blank is required");
        assertThatThrownBy(() -> Parameters.of("SignDkim", given::get).required("none"))
                .hasMessage("SignDkim: none is required");
    }

    @Test
    void givenKeepsABlankValueForTheParserToRefuse() {
        given.put("blank", "  ");
        given.put("a", " x ");
        Function<String, String> nonEmpty =
                v -> {
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException("must not be empty");
                    }
                    return v;
                };
        assertThat(p.given("a", nonEmpty)).contains("x");
        assertThat(p.given("none", nonEmpty)).isEmpty();
        assertThatThrownBy(() -> p.given("blank", nonEmpty))
                .isInstanceOf(ConfigException.class)
                .hasMessage("blank: must not be empty, got '  '");
    }

    @Test
    void engineMessagesAreTakenAsTheyStand() {
        Parameters engine = Parameters.of("M", given::get).engineMessages();
        given.put("n", " many ");
        given.put("k", "0");
        given.put("clientSecret", "x");
        assertThatThrownBy(() -> engine.required("n", Integer::parseInt))
                .isInstanceOf(ConfigException.class)
                .hasMessage("M: n: not a number: 'many'");
        assertThatThrownBy(
                        () ->
                                engine.required(
                                        "k",
                                        v -> {
                                            throw new IllegalArgumentException(
                                                    "knob: must be between 1 and 100, got " + v);
                                        }))
                .hasMessage("M: k: must be between 1 and 100, got 0")
                .satisfies(e -> assertThat(((ConfigException) e).parameter()).isEqualTo("k"));
        assertThatThrownBy(() -> engine.required("clientSecret", Integer::parseInt))
                .hasMessage("M: clientSecret: is not valid, got a value that is not shown");
    }

    @Test
    void parserFailuresNameTheParameterAndTheValue() {
        given.put("n", "x1");
        assertThatThrownBy(() -> p.required("n", Integer::parseInt))
                .isInstanceOf(ConfigException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("n: ")
                .hasMessageEndingWith(", got 'x1'")
                .satisfies(e -> assertThat(((ConfigException) e).parameter()).isEqualTo("n"))
                .satisfies(e -> assertThat(((ConfigException) e).value()).isEqualTo("x1"));
        assertThat(p.optional("absent", Integer::parseInt)).isEmpty();
    }

    @Test
    void secretsAreNeverShown() {
        given.put("gatewayPassword", "hunter2");
        given.put("clientSecret", "s3cr3t");
        assertThatThrownBy(() -> p.required("gatewayPassword", Integer::parseInt))
                .hasMessage("gatewayPassword: is not valid, got a value that is not shown")
                .hasNoCause()
                .satisfies(e -> assertThat(((ConfigException) e).value()).isNull());
        ConfigException e = new ConfigException("clientSecret", "s3cr3t", "must be long");
        assertThat(e.getMessage())
                .isEqualTo("clientSecret: must be long, got a value that is not shown");
        assertThat(e.value()).isNull();
    }

    @Test
    void booleansAcceptTrueYesFalseNoInAnyCase() {
        for (String t : List.of("true", "TRUE", " yes ", "Yes")) {
            given.put("b", t);
            assertThat(p.bool("b", false)).as(t).isTrue();
        }
        for (String f : List.of("false", "No", " no")) {
            given.put("b", f);
            assertThat(p.bool("b", true)).as(f).isFalse();
        }
        given.put("b", " 1");
        assertThatThrownBy(() -> p.bool("b", true))
                .hasMessage("b: must be true or false, got ' 1'");
        assertThatThrownBy(() -> Parameters.of("M", given::get).bool("b", true))
                .hasMessage("M: b: must be true or false, got ' 1'");
        assertThat(p.bool("absent", true)).isTrue();
    }

    @Test
    void processorNamesAreOneWord() {
        given.put("ok", " rights-key.store_down2 ");
        given.put("bad", "two words");
        assertThat(p.processor("ok")).isEqualTo("rights-key.store_down2");
        assertThat(p.processor("absent", "error")).isEqualTo("error");
        assertThatThrownBy(() -> p.processor("bad"))
                .hasMessage("bad: must name a processor, got 'two words'");
        assertThatThrownBy(() -> p.processor("absent")).hasMessage("absent is required");
    }

    @Test
    void integersAndDurationsHaveBounds() {
        given.put("i", "70");
        assertThat(p.integer("i", 1, 0, 100)).isEqualTo(70);
        assertThatThrownBy(() -> p.integer("i", 1, 0, 60))
                .hasMessage("i: must be a whole number from 0 to 60, got '70'");
        given.put("d", "30");
        given.put("iso", "PT2H");
        Duration max = Duration.ofHours(1);
        assertThat(p.duration("d", ChronoUnit.SECONDS, Duration.ZERO, Duration.ZERO, max))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(p.duration("absent", ChronoUnit.SECONDS, max, Duration.ZERO, max))
                .isEqualTo(max);
        assertThatThrownBy(() -> p.duration("iso", ChronoUnit.SECONDS, max, Duration.ZERO, max))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("iso: must be a duration")
                .hasMessageEndingWith("got 'PT2H'");
    }

    @Test
    void pathsFollowThePackPathRule() throws Exception {
        given.put("f", "conf/x.xml");
        WorkingDirectory.with(
                Paths.get("/opt/james"),
                () -> {
                    assertThat(p.path("f")).contains(Paths.get("/opt/james/conf/x.xml"));
                    assertThat(p.path("absent", "file:///etc/y")).isEqualTo(Paths.get("/etc/y"));
                });
    }

    @Test
    void renamedParametersReadTheOldNameWithAWarning() {
        Parameters named = Parameters.of("ProtectMessage", given::get);
        assertThat(named.renamed("onKeyStoreFailure", "onKeyStoreDown"))
                .isEqualTo("onKeyStoreFailure");
        assertThat(named.warnings()).isEmpty();
        given.put("onKeyStoreDown", "held");
        assertThat(named.processor(named.renamed("onKeyStoreFailure", "onKeyStoreDown"), null))
                .isEqualTo("held");
        assertThat(named.warnings())
                .containsExactly(
                        "ProtectMessage: onKeyStoreDown is deprecated; name it onKeyStoreFailure");
        given.put("onKeyStoreFailure", "held");
        assertThatThrownBy(() -> named.renamed("onKeyStoreFailure", "onKeyStoreDown"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("onKeyStoreDown");
    }

    @Test
    void unknownParametersAreRefusedByNameOnly() {
        assertThatThrownBy(
                        () ->
                                InitParameters.checkKnown(
                                        "SignDkim",
                                        List.of("selecter").iterator(),
                                        Set.of("selector", "algorithms")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("SignDkim: unknown parameter 'selecter'; known: algorithms, selector");
    }
}
