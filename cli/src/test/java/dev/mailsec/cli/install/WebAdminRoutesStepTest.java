package dev.mailsec.cli.install;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebAdminRoutesStepTest {
    private static final String R = WebAdminRoutesStep.ROUTES;

    @Test
    void aStockFileShouldGetTheLineAtTheEndAndKeepEveryOtherByte() {
        String stock = "# comment\nenabled=true\nport=8000\nhost=localhost\n";
        assertThat(WebAdminRoutesStep.withRoutes(stock))
                .startsWith(stock)
                .endsWith("extensions.routes=" + R + "\n");
        assertThat(WebAdminRoutesStep.withRoutes("enabled=true"))
                .isEqualTo(
                        "enabled=true\n# mailsec: the pack's WebAdmin routes under /mailsec"
                                + " (docs/webadmin.md)\nextensions.routes="
                                + R
                                + "\n");
    }

    @Test
    void theOperatorsRoutesShouldBeKeptAndOursAddedAfterThem() {
        String own = "enabled=true\nextensions.routes = org.example.A,org.example.B\nport=8000\n";
        assertThat(WebAdminRoutesStep.withRoutes(own))
                .isEqualTo(
                        "enabled=true\nextensions.routes = org.example.A,org.example.B,"
                                + R
                                + "\nport=8000\n");
        String continued = "extensions.routes=org.example.A,\\\n    org.example.B\nport=1\n";
        assertThat(WebAdminRoutesStep.withRoutes(continued))
                .isEqualTo(
                        "extensions.routes=org.example.A,\\\n    org.example.B,"
                                + R
                                + "\nport=1\n");
        assertThat(WebAdminRoutesStep.withRoutes("extensions.routes=\n"))
                .isEqualTo("extensions.routes=" + R + "\n");
    }

    @Test
    void aSecondRunShouldChangeNothing() {
        String once = WebAdminRoutesStep.withRoutes("enabled=true\n");
        assertThat(WebAdminRoutesStep.withRoutes(once)).isSameAs(once);
        String listed = "extensions.routes=org.example.A, " + R + "\n";
        assertThat(WebAdminRoutesStep.withRoutes(listed)).isSameAs(listed);
    }
}
