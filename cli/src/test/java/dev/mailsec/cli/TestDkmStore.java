package dev.mailsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * A real DKM file store made with the CLI as the runbook does it: {@code dkm init} (credential
 * {@code admin}), identity {@code james-transport}, and a group with james-transport in it.
 */
public final class TestDkmStore {
    public final Path dir;
    public final Path admin;
    public final Path transport;

    private TestDkmStore(Path dir) {
        this.dir = dir;
        this.admin = dir.resolve("credentials/admin.cred");
        this.transport = dir.resolve("credentials/james-transport.cred");
    }

    /** Creates the store in {@code dir} with group {@code group} holding james-transport. */
    public static TestDkmStore create(Path dir, String group) {
        TestDkmStore s = new TestDkmStore(dir);
        ok("dkm", "--store", dir.toString(), "init");
        ok(s.asAdmin("identity", "create", "james-transport"));
        assertThat(s.transport).exists();
        ok(s.asAdmin("group", "create", group));
        ok(s.asAdmin("group", "add", group, "james-transport"));
        return s;
    }

    /** {@code dkm --store DIR --identity ADMIN ARGS}. */
    public String[] asAdmin(String... args) {
        String[] r = new String[5 + args.length];
        r[0] = "dkm";
        r[1] = "--store";
        r[2] = dir.toString();
        r[3] = "--identity";
        r[4] = admin.toString();
        System.arraycopy(args, 0, r, 5, args.length);
        return r;
    }

    private static void ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode).as("%s%n%s", r.out, r.err).isZero();
    }
}
