package dev.mailsec.it.load;

import dev.mailsec.it.load.stepcpu.CpuTimedMailet;
import dev.mailsec.it.load.stepcpu.CpuTimedMatcher;
import dev.mailsec.it.load.stepcpu.StepCpu;
import dev.mailsec.it.load.stepcpu.TimedRecordTlsFacts;
import dev.mailsec.it.load.stepcpu.TimedRefuseCutMessages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes a pipeline's configuration time each step of the pack ({@code dev.mailsec.it.load.stepcpu}
 * in the James JVM): every {@code dev.mailsec} mailet becomes a {@link CpuTimedMailet} running it,
 * every {@code dev.mailsec} matcher a {@link CpuTimedMatcher}, the hooks {@code RecordTlsFacts} and
 * {@code RefuseCutMessages} their {@code Timed} subclasses; plus James's {@code PostmasterAlias} in
 * {@code root}, a stock mailet that does almost nothing, wrapped as a control (what the wrapper
 * itself costs per call).
 *
 * <p>Not timed: {@code ConnectorsRemoteDelivery}, the connector matchers ({@code ConnectorIs},
 * {@code RecipientConnectorIs}) and the {@code EnforceInboundConnectors} hook. The pack refuses to
 * start when a TLS connector is declared and these do not stand, by class name, where they enforce
 * it ({@code ConnectorRoutes}); the load traffic reaches no connector.
 */
final class StepTiming {

    private static final Pattern OUR_MAILET =
            Pattern.compile(
                    "(<mailet\\s[^>]*?)class=\"(dev\\.mailsec\\.mailets\\.(?!connector\\.ConnectorsRemoteDelivery\")[A-Za-z.]+)\"\\s*(/?)>");
    private static final Pattern OUR_MATCHER =
            Pattern.compile("match=\"(dev\\.mailsec\\.matchers\\.(?!connector\\.)[^\"]+)\"");
    private static final String CONTROL = "<mailet match=\"All\" class=\"PostmasterAlias\"/>";

    private StepTiming() {}

    /** The mailet container configuration with every step of the pack timed. */
    static String mailets(String xml) {
        StringBuilder out = new StringBuilder();
        Matcher m = OUR_MAILET.matcher(xml);
        int last = 0;
        while (m.find()) {
            out.append(xml, last, m.start());
            out.append(m.group(1))
                    .append("class=\"")
                    .append(CpuTimedMailet.class.getName())
                    .append("\">\n                <timedMailet>")
                    .append(m.group(2))
                    .append("</timedMailet>");
            if (!m.group(3).isEmpty()) {
                out.append("</mailet>");
            }
            last = m.end();
        }
        out.append(xml.substring(last));
        String timed =
                OUR_MATCHER
                        .matcher(out)
                        .replaceAll("match=\"" + CpuTimedMatcher.class.getName() + "=$1\"");
        if (!timed.contains(CONTROL)) {
            throw new IllegalStateException("no " + CONTROL + " to time as a control");
        }
        return timed.replace(
                CONTROL,
                "<mailet match=\"All\" class=\""
                        + CpuTimedMailet.class.getName()
                        + "\"><timedMailet>org.apache.james.transport.mailets.PostmasterAlias"
                        + "</timedMailet></mailet>");
    }

    /** The SMTP server configuration with the pack's hooks timed. */
    static String smtp(String xml) {
        return xml.replace(
                        "\"dev.mailsec.smtp.RecordTlsFacts\"",
                        "\"" + TimedRecordTlsFacts.class.getName() + "\"")
                .replace(
                        "\"dev.mailsec.smtp.RefuseCutMessages\"",
                        "\"" + TimedRefuseCutMessages.class.getName() + "\"");
    }

    /**
     * Writes the wrappers' package (compiled with the tests) as {@code
     * extensions-jars/mailsec-step-cpu.jar} into the James home.
     */
    static void installJar(Path home) throws Exception {
        Path classes =
                Paths.get(
                        StepCpu.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String folder = StepCpu.class.getPackageName().replace('.', '/');
        List<Path> files;
        try (Stream<Path> list = Files.list(classes.resolve(folder))) {
            files = list.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        Path jar = home.resolve("extensions-jars/mailsec-step-cpu.jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            for (Path f : files) {
                out.putNextEntry(new JarEntry(folder + "/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + jar, e);
        }
    }
}
