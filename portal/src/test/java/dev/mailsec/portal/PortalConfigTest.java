package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.rights.PortalSettings;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PortalConfigTest {

    private static final URI URL = URI.create("https://portal.bank.test");

    @Test
    void theSettingsOfRightsXmlAreTheOnlyHolderOfWhatTheyHold() {
        PortalSettings settings =
                PortalSettings.builder("bank.test")
                        .bindHost("0.0.0.0")
                        .port(8443)
                        .smtpHost("mx.bank.test")
                        .smtpPort(587)
                        .passcodeTtl(Duration.ofMinutes(3))
                        .sessionTtl(Duration.ofMinutes(7))
                        .build();
        PortalConfig config =
                PortalConfig.builder(URL).issuer("bank.test").settings(settings).build();
        assertThat(config.settings()).isSameAs(settings);
        assertThat(config.bindHost()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8443);
        assertThat(config.smtpHost()).isEqualTo("mx.bank.test");
        assertThat(config.smtpPort()).isEqualTo(587);
        assertThat(config.passcodeSender()).isEqualTo("no-reply@bank.test");
        assertThat(config.passcodeTtl()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.sessionTtl()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void withoutSettingsTheDefaultsOfPortalSettingsForTheIssuerApply() {
        PortalConfig config = PortalConfig.builder(URL).issuer("bank.test").build();
        PortalSettings defaults = PortalSettings.builder("bank.test").build();
        assertThat(config.port()).isEqualTo(defaults.port());
        assertThat(config.passcodeSender()).isEqualTo("no-reply@bank.test");
        assertThat(config.sessionTtl()).isEqualTo(defaults.sessionTtl());
    }

    @Test
    void bindOverridesOnlyAddressAndPortAndZeroMeansAnyFreePort() {
        PortalSettings settings =
                PortalSettings.builder("bank.test").smtpPort(2525).port(9000).build();
        PortalConfig config =
                PortalConfig.builder(URL).settings(settings).bind("127.0.0.1", 0).build();
        assertThat(config.bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isZero();
        assertThat(config.smtpPort()).isEqualTo(2525);
        assertThat(settings.port()).isEqualTo(9000);
    }
}
