package dev.mailsec.cli.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.CliRun;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.Protection;
import dev.mailsec.rights.RightsProtector;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsTestMessages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./mailsec rights open --as-discovery} end to end with the CLI as an operator runs it, on a
 * DKM file store and on a DKM store in PostgreSQL: refused without an approved grant for the role
 * secret, working with one (two admins approve), refused after it expired; audited in DKM and in
 * the rights access log as {@code discovery:dana} with the reason.
 */
class RightsDiscoveryCommandTest {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String REASON = "LH-2026-17 litigation hold (counsel ticket 4711)";

    @TempDir Path tmp;
    Path dkmDir;
    String schema;
    String out;
    String err;
    byte[] outBytes;

    int run(String... args) {
        CliRun r = CliRun.of(args);
        outBytes = r.outBytes;
        out = r.out;
        err = r.err;
        return r.exitCode;
    }

    void ok(String... args) {
        assertThat(run(args)).as("%s%n%s", out, err).isZero();
    }

    String[] dkm(String identity, String... args) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "dkm",
                                "--store",
                                dkmDir.toString(),
                                "--identity",
                                dkmDir.resolve("credentials/" + identity + ".cred").toString()));
        a.addAll(Arrays.asList(args));
        return a.toArray(new String[0]);
    }

    String[] rights(String... args) {
        List<String> a = new ArrayList<>(List.of("rights"));
        a.addAll(Arrays.asList(args));
        a.addAll(List.of("--james-home", tmp.toString(), "--config", "conf/rights.xml"));
        return a.toArray(new String[0]);
    }

    String[] discoveryOpen(Path file, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "open",
                                file.toString(),
                                "--as-discovery",
                                "--store",
                                dkmDir.toString(),
                                "--identity",
                                dkmDir.resolve("credentials/dana.cred").toString()));
        a.addAll(Arrays.asList(more));
        return rights(a.toArray(new String[0]));
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(PG);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    void setUp(boolean postgres) throws Exception {
        dkmDir = tmp.resolve("dkm");
        if (postgres) {
            schema = "dkm_disc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            ok("dkm", "--store", dkmDir.toString(), "init", "--backend", PG, "--schema", schema);
        } else {
            ok("dkm", "--store", dkmDir.toString(), "init");
        }
        ok(dkm("admin", "identity", "create", "james-transport"));
        ok(dkm("admin", "identity", "create", "dana", "--person"));
        ok(dkm("admin", "identity", "create", "bob", "--person", "--admin"));
        ok(dkm("admin", "group", "create", "rights"));
        ok(dkm("admin", "group", "add", "rights", "james-transport"));
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        String props =
                new String(
                                Files.readAllBytes(dkmDir.resolve("dkm.properties")),
                                StandardCharsets.UTF_8)
                        .replaceAll("(?m)^(identity|rootKey|cacheTtl).*$", "");
        Files.write(
                conf.resolve("dkm.properties"),
                (props
                                + "\nidentity="
                                + dkmDir.resolve("credentials/james-transport.cred")
                                + "\ncacheTtl=PT0S\n")
                        .getBytes(StandardCharsets.UTF_8));
        Files.write(
                conf.resolve("rights.xml"),
                ("<rights><issuer>mailsec.test</issuer><store url=\"file:"
                                + tmp.resolve("rights-state")
                                + "\"/><dkm config=\""
                                + conf.resolve("dkm.properties")
                                + "\"/></rights>")
                        .getBytes(StandardCharsets.UTF_8));
        ok(
                rights(
                        "init",
                        "--store",
                        dkmDir.toString(),
                        "--identity",
                        dkmDir.resolve("credentials/admin.cred").toString(),
                        "--group",
                        "rights",
                        "--discovery-group",
                        "rights-discovery"));
        assertThat(out).contains("rights-discovery/role: created (the eDiscovery role");
    }

    Protection protect(byte[] raw) throws Exception {
        RightsSettings s = RightsSettings.load(tmp.resolve("conf/rights.xml"));
        try (Dkm dkm = Dkm.open(s.dkmConfig());
                RightsStore rs = RightsStore.open(s)) {
            return new RightsProtector(s, new DkmRightsKeyring(dkm, s), rs, Clock.systemUTC())
                    .protect(
                            new MimeMessage(
                                    Session.getInstance(new Properties()),
                                    new ByteArrayInputStream(raw)),
                            "alice@mailsec.test",
                            List.of("carol@external.test"),
                            s.template("do-not-forward"));
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {false, true})
    void discoveryOpenShouldNeedAnApprovedUnexpiredGrantAndBeAudited(boolean postgres)
            throws Exception {
        setUp(postgres);
        byte[] raw =
                RightsTestMessages.multipart(
                        "alice@mailsec.test", "carol@external.test", "disc1@mailsec.test", "Hold");
        Protection p = protect(raw);
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        p.wrapper().writeTo(w);
        Path wrapper = Files.write(tmp.resolve("wrapper.eml"), w.toByteArray());

        // no grant: refused (exit 1), nothing printed
        assertThat(run(discoveryOpen(wrapper, "--reason", REASON))).as(err).isEqualTo(1);
        assertThat(err).contains("does not hold the discovery role").doesNotContain("Exception");
        assertThat(outBytes).isEmpty();
        // bad use: exit 2
        assertThat(run(discoveryOpen(wrapper))).isEqualTo(2);
        assertThat(err).contains("--reason: required");
        assertThat(run(discoveryOpen(wrapper, "--reason", REASON, "--reader", "x@y.test")))
                .isEqualTo(2);

        ok(
                dkm(
                        "dana",
                        "access",
                        "request",
                        "rights-discovery/role",
                        "--reason",
                        "LH-2026-17",
                        "--duration",
                        "PT8S"));
        Matcher m = Pattern.compile("(req-[0-9a-f]+) requested").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        ok(dkm("admin", "access", "approve", m.group(1), "--reason", "counsel confirmed"));
        // one approval of two: still refused
        assertThat(run(discoveryOpen(wrapper, "--reason", REASON))).as(err).isEqualTo(1);
        ok(dkm("bob", "access", "approve", m.group(1)));
        Instant approved = Instant.now();

        ok(discoveryOpen(wrapper, "--reason", REASON));
        assertThat(outBytes).isEqualTo(raw);
        assertThat(err).contains("opened as discovery:dana");

        // after expiry: refused again
        long wait = Duration.between(Instant.now(), approved.plusSeconds(9)).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        assertThat(run(discoveryOpen(wrapper, "--reason", REASON))).as(err).isEqualTo(1);
        assertThat(err).contains("unexpired");

        ok(rights("log", "<disc1@mailsec.test>"));
        assertThat(out)
                .contains("discovery:dana")
                .contains(REASON)
                .doesNotContainPattern("(?m)^\\S+\\s+OPENED\\s")
                .doesNotContain("carol@external.test   ");
        assertThat(out.split("DISCOVERY_OPENED", -1)).hasSize(2);
        assertThat(out.split("DISCOVERY_REFUSED", -1)).hasSize(4);
        ok(dkm("admin", "audit", "tail", "-n", "200"));
        assertThat(out)
                .contains("dana read rights-discovery/role")
                .contains("discovery opening, reason: " + REASON)
                .contains("expired");
        ok(dkm("admin", "audit", "verify"));
    }
}
