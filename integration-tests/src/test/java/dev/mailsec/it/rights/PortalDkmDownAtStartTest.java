package dev.mailsec.it.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.portal.Portal;
import dev.mailsec.portal.RightsPortalEngine;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsTestEnvironment;
import dev.mailsec.rights.RightsTestMessages;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rights portal started while its DKM file store is away (issue 16: "DKM already down when the
 * portal starts"), over real HTTP with the production wiring ({@link RightsPortalEngine#open}, its
 * own identity {@code rights-portal}): it starts, a message's page and {@code /healthz} answer 503
 * with {@code Retry-After}; once the store is back the same portal serves them, without a restart.
 * A wrong configuration still refuses to start, naming what is wrong.
 */
class PortalDkmDownAtStartTest {

    @TempDir Path dir;

    private RightsTestEnvironment env;
    private RightsPortalEngine engine;
    private Portal portal;
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @AfterEach
    void stop() throws Exception {
        if (portal != null) {
            portal.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aPortalStartedWhileDkmIsAwayShouldAnswer503UntilItIsBackThenServe() throws Exception {
        int port = freePort();
        env =
                RightsTestEnvironment.create(
                        dir.resolve("rights"), Clock.systemUTC(), rightsXml(port));
        String licence =
                env.protector()
                        .protect(
                                RightsTestMessages.multipart(
                                        "alice@mailsec.test",
                                        "carol@external.test",
                                        "down-at-start@mailsec.test",
                                        "quarterly"),
                                "alice@mailsec.test",
                                List.of("carol@external.test"),
                                env.settings().template("encrypt-only"))
                        .licence()
                        .licenceId();
        RightsSettings settings = portalSettings();
        Path store = env.dir().resolve("dkm-data");
        Path away = env.dir().resolve("dkm-data.away");
        Files.move(store, away);

        engine = RightsPortalEngine.open(settings);
        portal = Portal.start(RightsPortalEngine.config(settings), engine);

        HttpResponse<String> landing = get("/m/" + licence);
        assertThat(landing.statusCode()).isEqualTo(503);
        assertThat(landing.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(landing.body()).doesNotContain(store.toString());
        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.headers().firstValue("Retry-After")).isPresent();

        Files.move(away, store);

        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        landing = get("/m/" + licence);
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.body()).contains("name=\"csrf\"");
    }

    @Test
    void aWrongConfigurationShouldStillRefuseToStart() throws Exception {
        env =
                RightsTestEnvironment.create(
                        dir.resolve("rights"), Clock.systemUTC(), rightsXml(freePort()));
        Path missing = dir.resolve("no-such-dkm.properties");
        assertThatThrownBy(() -> RightsPortalEngine.open(env.settings(), missing))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessageContaining(missing.toString());

        Path badStore = dir.resolve("bad-store.xml");
        Files.writeString(
                badStore,
                Files.readString(env.rightsXml())
                        .replaceAll("<store url=\"[^\"]*\"", "<store url=\"jdbc:mysql://db/x\""));
        assertThatThrownBy(() -> RightsPortalEngine.open(RightsSettings.load(badStore)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db/x");
    }

    /**
     * The portal's own rights.xml and DKM identity ({@code rights-portal} in group {@code rights}),
     * as {@code mailsec install} writes them.
     */
    private RightsSettings portalSettings() throws Exception {
        Path portalDir = Files.createDirectories(env.dir().resolve("portal"));
        env.admin()
                .createIdentity(
                        "rights-portal",
                        IdentityType.SERVICE,
                        false,
                        portalDir.resolve("rights-portal.cred"));
        env.admin().addMember("rights", "rights-portal");
        Files.writeString(
                portalDir.resolve("dkm.properties"),
                "store=file:"
                        + env.dir().resolve("dkm-data")
                        + "\nidentity="
                        + portalDir.resolve("rights-portal.cred")
                        + "\ncacheTtl=PT5M\n");
        Files.writeString(
                portalDir.resolve("rights.xml"),
                Files.readString(env.rightsXml())
                        .replaceAll(
                                "<dkm config=\"[^\"]*\"/>",
                                "<dkm config=\"" + portalDir.resolve("dkm.properties") + "\"/>"));
        return RightsSettings.load(portalDir.resolve("rights.xml"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portal.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The portal on {@code port}; its passcode mail would go to port 9 (none is sent here). */
    private static String rightsXml(int port) {
        return "<rights>\n  <issuer>mailsec.test</issuer>\n"
                + "  <organisationDomains>mailsec.test</organisationDomains>\n"
                + "  <portal url=\"http://127.0.0.1:"
                + port
                + "\" bind=\"127.0.0.1\" port=\""
                + port
                + "\" smtpHost=\"127.0.0.1\" smtpPort=\"9\"/>\n"
                + "  <store url=\"file:rights-state\"/>\n  <subject mode=\"keep\"/>\n</rights>\n";
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
