package dev.mailsec.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.ConfigException;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WebAdminSettingsTest {

    @Test
    void noFileShouldMeanJamesOwnFiles() {
        WebAdminSettings s = WebAdminSettings.parse(new Properties());
        assertThat(s.dkmConfig().toString()).endsWith("conf/dkm.properties");
    }

    @Test
    void aGivenDkmConfigShouldBeUsed() {
        Properties p = new Properties();
        p.setProperty("dkmConfig", "/etc/mailsec/webadmin-dkm.properties");
        assertThat(WebAdminSettings.parse(p).dkmConfig())
                .isEqualTo(Path.of("/etc/mailsec/webadmin-dkm.properties"));
    }

    @Test
    void anUnknownParameterShouldBeRefusedNamingItAndItsValue() {
        Properties p = new Properties();
        p.setProperty("dkmconfig", "x.properties");
        assertThatThrownBy(() -> WebAdminSettings.parse(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("conf/mailsec-webadmin.properties")
                .hasMessageContaining("dkmconfig")
                .hasMessageContaining("x.properties");
    }
}
