package dev.mailsec.cli.check;

import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailsec check --james-home DIR}: validates an installation without starting James
 * (docs/check.md). One line per check ({@code ok}, {@code warn}, {@code error}), a summary line,
 * exit status 1 on any error.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Validate a James installation with the pack, without starting James: every pack mailet, "
                    + "matcher and hook initialised as James would, DKM and the secrets the configuration needs, DKIM records, "
                    + "certificates and their expiry, the rights portal. Exit 1 on any error."
        })
public final class CheckCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--james-home",
            required = true,
            paramLabel = "DIR",
            description =
                    "James's home: the folder holding conf/, extensions-jars/ and james-server-memory-app.lib/")
    Path jamesHome;

    @CommandLine.Mixin KeyRecordOptions keyRecords;

    @Option(
            names = "--offline",
            description = "no DNS lookups (unless --zone) and no portal request")
    boolean offline;

    @Option(
            names = "--warn-days",
            paramLabel = "DAYS",
            defaultValue = "30",
            description =
                    "warn about certificates expiring within DAYS days (default: ${DEFAULT-VALUE})")
    int warnDays;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Path home = jamesHome.toAbsolutePath().normalize();
        if (!Files.isDirectory(home)) {
            throw new UserException("--james-home: not a folder: '" + jamesHome + "'", 2);
        }
        Optional<DkimRecordCheck> records = records();
        Report report = new Report(spec.commandLine().getOut());
        // the path rule: relative paths of the configuration resolve against the James home, as in
        // James
        String previous = System.getProperty("working.directory");
        System.setProperty("working.directory", home.toString());
        try {
            List<Map<String, String>> mailets = PipelineCheck.run(home, report);
            try (SecretsCheck secrets = new SecretsCheck(home, report, records)) {
                secrets.check(mailets);
                new CertificateCheck(home, report, Clock.systemUTC(), warnDays).check(mailets);
                if (records.isEmpty()) {
                    report.warn("dkim records", "not compared (--offline without --zone)");
                }
                for (URI portal : secrets.portals()) {
                    if (offline) {
                        report.warn("portal " + portal, "not asked (--offline)");
                    } else {
                        new PortalCheck(Duration.ofSeconds(5)).check(portal, report);
                    }
                }
            }
        } finally {
            if (previous == null) {
                System.clearProperty("working.directory");
            } else {
                System.setProperty("working.directory", previous);
            }
        }
        report.summary(Duration.ofNanos(System.nanoTime() - start).toMillis());
        return report.errors() == 0 ? 0 : 1;
    }

    private Optional<DkimRecordCheck> records() {
        if (offline && !keyRecords.hasZone()) {
            return Optional.empty();
        }
        return Optional.of(new DkimRecordCheck(keyRecords.source(), keyRecords.describe()));
    }
}
