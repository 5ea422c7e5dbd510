package dev.mailsec.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.InstalledJames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three pipelines {@link PackCostTest} and {@link PackCapacityTest} compare, written from the
 * installed James home, and the switch between them (a fresh James JVM each time):
 *
 * <ul>
 *   <li>{@code stock}: James 3.8.1's own {@code mailetcontainer.xml} (kept by install as {@code
 *       .before-mailsec}) and the sample {@code smtpserver.xml} without the pack's handlers (same
 *       ports and STARTTLS);
 *   <li>{@code verify}: the same plus the inbound verify steps: the {@code RecordTlsFacts} hook and
 *       {@code VerifyDkim} (DKIM verify, Authentication-Results) first in {@code root};
 *   <li>{@code full}: the sample pipeline as {@code mailsec install --sample-pipeline} writes it;
 *   <li>{@code verify-timed}, {@code full-timed}: the same with each step of the pack timed in the
 *       James JVM ({@link StepTiming}, read with {@link StepCpuReading}).
 * </ul>
 */
final class Pipelines {

    private static final String[] FILES = {"mailetcontainer.xml", "smtpserver.xml"};

    private final LoadedJames loaded;
    private final Path configs;
    private String running = "full"; // LoadedJames.start starts the sample pipeline

    /** Writes the three variants of the installed home's configuration under {@code configs}. */
    Pipelines(LoadedJames loaded, Path configs) throws Exception {
        this.loaded = loaded;
        this.configs = configs;
        write(loaded.james.home().resolve("conf"), configs);
        StepTiming.installJar(loaded.james.home());
    }

    /** Restarts James with this pipeline (unless it runs already), users and domain added again. */
    void use(String config) throws Exception {
        if (config.equals(running)) {
            return;
        }
        InstalledJames james = loaded.james;
        james.stopJames();
        for (String f : FILES) {
            Files.copy(
                    configs.resolve(config).resolve(f),
                    james.home().resolve("conf").resolve(f),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        james.startJames();
        james.addDomain("example.test");
        for (String user : mailboxes(loaded)) {
            james.addUser(user, "secret");
        }
        running = config;
    }

    /** Every local mailbox the traffic reaches. */
    static List<String> mailboxes(LoadedJames loaded) {
        List<String> all = new ArrayList<>(loaded.traffic.localRecipients);
        all.addAll(loaded.traffic.localSenders);
        return all;
    }

    private static void write(Path conf, Path configs) throws Exception {
        String fullMailets = Files.readString(conf.resolve("mailetcontainer.xml"));
        String fullSmtp = Files.readString(conf.resolve("smtpserver.xml"));
        String stockMailets =
                Files.readString(conf.resolve("mailetcontainer.xml.before-mailsec"))
                        .replace("<outgoingQueue>outgoing</outgoingQueue>", gatewayOf(fullMailets));
        Matcher verifyDkim =
                Pattern.compile(
                                "<mailet match=\"All\""
                                        + " class=\"dev\\.mailsec\\.mailets\\.dkim\\.VerifyDkim\">"
                                        + ".*?</mailet>",
                                Pattern.DOTALL)
                        .matcher(fullMailets);
        assertThat(verifyDkim.find()).as("VerifyDkim in the sample").isTrue();
        String postmaster = "<mailet match=\"All\" class=\"PostmasterAlias\"/>";
        assertThat(stockMailets).contains(postmaster);
        String verifyMailets =
                stockMailets.replace(
                        postmaster, verifyDkim.group() + "\n            " + postmaster);
        String stockSmtp = withoutHandlers(fullSmtp, "[A-Za-z.]+");
        String verifySmtp = withoutHandlers(fullSmtp, "(RefuseCutMessages|connector\\.[A-Za-z]+)");
        assertThat(verifySmtp).contains("dev.mailsec.smtp.RecordTlsFacts");
        assertThat(stockSmtp).doesNotContain("dev.mailsec");
        write(configs.resolve("stock"), stockMailets, stockSmtp);
        write(configs.resolve("verify"), verifyMailets, verifySmtp);
        write(configs.resolve("full"), fullMailets, fullSmtp);
        write(
                configs.resolve("verify-timed"),
                StepTiming.mailets(verifyMailets),
                StepTiming.smtp(verifySmtp));
        write(
                configs.resolve("full-timed"),
                StepTiming.mailets(fullMailets),
                StepTiming.smtp(fullSmtp));
    }

    /** The sample's RemoteDelivery queue line with LoadedJames's gateway (the sink) after it. */
    private static String gatewayOf(String fullMailets) {
        Matcher m =
                Pattern.compile(
                                "<outgoing>outgoing</outgoing>\\s*<gateway>.*?" + "</gatewayPort>",
                                Pattern.DOTALL)
                        .matcher(fullMailets);
        assertThat(m.find()).as("gateway in the sample").isTrue();
        return m.group();
    }

    private static String withoutHandlers(String smtp, String classRegex) {
        String cls = "dev\\.mailsec\\.smtp\\." + classRegex;
        return smtp.replaceAll("(?s)\\s*<handler class=\"" + cls + "\">.*?</handler>", "")
                .replaceAll("\\s*<handler class=\"" + cls + "\"/>", "");
    }

    private static void write(Path dir, String mailets, String smtp) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mailetcontainer.xml"), mailets);
        Files.writeString(dir.resolve("smtpserver.xml"), smtp);
    }
}
