package dev.mailsec.cli.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mailsec.shaded.bc.util.encoders.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pack's sample pipeline (the bundle's conf/) in a James home: installed over James's files
 * while they are still stock (each replaced file backed up once as FILE.before-mailsec), recognised
 * as installed when it is byte for byte what this installation renders, and otherwise left alone
 * with the steps to merge in {@code conf/mailsec-merge.txt} and the rendered files in {@code
 * conf/mailsec-sample/}. The TLS keystore is {@link TlsKeystore}'s, the S/MIME trust anchors {@link
 * SmimeAnchors}'.
 */
final class SamplePipeline {
    static final String DEMO_DOMAIN = "mailsec.test";
    private static final String SECRET_PLACEHOLDER = "CHANGE-ME-KEYSTORE-SECRET";

    /** The files James 3.8.1 ships that the sample replaces, in the order they are reported. */
    private static final List<String> REPLACED =
            List.of("mailetcontainer.xml", "smtpserver.xml", "mailrepositorystore.xml");

    private final InstallLayout layout;
    private final InstallOptions o;
    private final InstallFiles files;
    private final Report report;
    private final Path sample;
    private final Map<String, String> stock;
    private final TlsKeystore keystore;

    SamplePipeline(
            InstallLayout layout,
            InstallOptions o,
            InstallFiles files,
            Report report,
            Path sampleConf) {
        this.layout = layout;
        this.o = o;
        this.files = files;
        this.report = report;
        this.sample = sampleConf;
        this.stock = stockHashes();
        this.keystore = new TlsKeystore(layout, o, files);
    }

    void install() {
        List<String> toMerge = new ArrayList<>();
        List<String> stillStock = new ArrayList<>();
        boolean ours = true;
        for (String name : REPLACED) {
            Path file = layout.conf().resolve(name);
            byte[] current = Files.isRegularFile(file) ? InstallFiles.read(file) : null;
            boolean isStock = current == null || sha256(current).equals(stock.get(name));
            if (isStock && o.samplePipeline) {
                byte[] rendered = render(name, true);
                if (current != null && !Files.exists(backup(file))) {
                    files.write(
                            backup(file),
                            current,
                            InstallFiles.OWNER_ONLY_FILE,
                            "James's stock file, kept once");
                }
                files.write(file, rendered, mode(name), "the pack's sample");
            } else if (isStock) {
                stillStock.add(name);
                toMerge.add(name);
                ours = false;
            } else {
                byte[] rendered = render(name, false);
                if (rendered == null || !Arrays.equals(current, rendered)) {
                    toMerge.add(name);
                    ours = false;
                } else if (name.equals("smtpserver.xml")) {
                    keystore.secret(false);
                    files.mode(file, mode(name));
                }
            }
        }
        // files only the pack's steps read (inert until a pipeline names them), made once and then
        // the operator's
        Path connectors = layout.conf().resolve("connectors.xml");
        if (!Files.exists(connectors)) {
            files.write(
                    connectors,
                    InstallFiles.read(sample.resolve("connectors.xml")),
                    InstallFiles.PUBLIC_FILE,
                    "the sample's partner connectors; edit to yours");
        }
        SmimeAnchors.install(layout, files);
        if (ours) {
            report.note(
                    "sample pipeline: conf/"
                            + String.join(", conf/", REPLACED)
                            + " are the pack's sample for "
                            + String.join(", ", o.domains));
            if (o.smimeDirectory != null) {
                report.note(
                        "sample pipeline: local-delivery encrypts with S/MIME certificates from "
                                + o.smimeDirectory.server
                                + "/"
                                + o.smimeDirectory.baseDn
                                + " (chained to conf/smime/ca.pem), held in var/mail/"
                                + SmimeDirectoryStep.HOLD
                                + " while it is down");
            }
            return;
        }
        mergeNotes(toMerge, stillStock);
    }

    private static Path backup(Path file) {
        return file.resolveSibling(file.getFileName() + ".before-mailsec");
    }

    private Set<PosixFilePermission> mode(String name) {
        // smtpserver.xml carries the keystore secret inline (James reads it there);
        // mailetcontainer.xml the report store's URL, which may carry a password
        return name.equals("smtpserver.xml")
                        || (name.equals("mailetcontainer.xml")
                                && AuthenticationSteps.storeHasPassword(o))
                ? InstallFiles.OWNER_ONLY_FILE
                : InstallFiles.PUBLIC_FILE;
    }

    /**
     * The sample file for this installation; null for smtpserver.xml when no keystore secret is
     * known yet and {@code makeKeystore} is false.
     */
    private byte[] render(String name, boolean makeKeystore) {
        String text = new String(InstallFiles.read(sample.resolve(name)), UTF_8);
        switch (name) {
            case "mailetcontainer.xml":
                text =
                        replace(
                                text,
                                "<authservId>" + DEMO_DOMAIN + "</authservId>",
                                "<authservId>" + o.domains.get(0) + "</authservId>",
                                name);
                text =
                        replace(
                                text,
                                "SenderHostIs=" + DEMO_DOMAIN,
                                "SenderHostIs=" + String.join(",", o.domains),
                                name);
                if (o.smimeDirectory != null) {
                    text = o.smimeDirectory.apply(text);
                }
                return AuthenticationSteps.mailets(text, o).getBytes(UTF_8);
            case "smtpserver.xml":
                String secret = makeKeystore ? keystore.secret(true) : keystore.knownSecret();
                if (secret == null) {
                    return null;
                }
                text =
                        replace(
                                text,
                                "<bind>127.0.0.1:2525</bind>",
                                "<bind>" + o.smtpListen + "</bind>",
                                name);
                text =
                        replace(
                                text,
                                "<bind>127.0.0.1:4650</bind>",
                                "<bind>" + o.smtpsListen + "</bind>",
                                name);
                text = AuthenticationSteps.smtpHook(text, o);
                return replace(text, SECRET_PLACEHOLDER, xmlEscape(secret), name).getBytes(UTF_8);
            default:
                return text.getBytes(UTF_8);
        }
    }

    static String replace(String text, String demo, String value, String file) {
        if (!text.contains(demo)) {
            throw new IllegalStateException(
                    "the bundle's conf/"
                            + file
                            + " no longer contains '"
                            + demo
                            + "': the installer and its sample disagree");
        }
        return text.replace(demo, value);
    }

    private void mergeNotes(List<String> toMerge, List<String> stillStock) {
        Path dir = layout.conf().resolve("mailsec-sample");
        StringBuilder s = new StringBuilder();
        s.append("mailsec install: merge the pack's pipeline into this James's configuration\n\n")
                .append(
                        "conf/mailsec-sample/ holds the pack's sample files, already adapted to this installation\n")
                .append("(domains ")
                .append(String.join(", ", o.domains))
                .append(", the paths of this James home).\n")
                .append("James reads only conf/*.xml, so the folder is inert. Merge, then run\n")
                .append("  bin/mailsec check --james-home ")
                .append(layout.home)
                .append("\nand restart James.\n\n");
        int step = 1;
        for (String name : toMerge) {
            byte[] rendered = render(name, false);
            files.write(
                    dir.resolve(name),
                    rendered != null ? rendered : InstallFiles.read(sample.resolve(name)),
                    InstallFiles.OWNER_ONLY_FILE,
                    "the sample to merge");
            s.append(step++)
                    .append(". conf/")
                    .append(name)
                    .append(": ")
                    .append(mergeStep(name))
                    .append('\n');
            if (stillStock.contains(name)) {
                s.append(
                        "   (yours is still James's stock file: 'mailsec install --sample-pipeline' installs the sample as is)\n");
            }
        }
        files.write(
                layout.conf().resolve("mailsec-merge.txt"),
                s.toString().getBytes(UTF_8),
                InstallFiles.PUBLIC_FILE,
                "the steps to merge");
        report.note(
                "sample pipeline: not installed; conf/"
                        + String.join(", conf/", toMerge)
                        + (stillStock.size() == toMerge.size()
                                ? " still stock (--sample-pipeline installs the sample)"
                                : " customised")
                        + ": merge the steps in conf/mailsec-merge.txt");
    }

    private String mergeStep(String name) {
        switch (name) {
            case "mailetcontainer.xml":
                return "copy every step marked 'mailsec:' of conf/mailsec-sample/mailetcontainer.xml into the same"
                        + " processor of yours (root, local-delivery, relay, bounces), and the processors it adds"
                        + " (connector-violation, connectors-outbound, dkim-key-store-down, dmarc-quarantine,"
                        + " dmarc-reject, rights-fallback, rights-key-store-down"
                        + (o.smimeDirectory != null ? ", " + SmimeDirectoryStep.HOLD : "")
                        + "). Keep RemoveMimeHeader name=bcc in transport.";
            case "smtpserver.xml":
                return "add the dev.mailsec.smtp.* handlers (RefuseCutMessages, RecordTlsFacts,"
                        + " connector.EnforceInboundConnectors"
                        + (o.dmarcReject == DmarcReject.SMTP
                                ? "; dmarc.RefuseDmarcReject in the server that receives from outside"
                                : "")
                        + ") at the end of each <handlerchain>, as in"
                        + " conf/mailsec-sample/smtpserver.xml; offer STARTTLS with your certificate.";
            default:
                return "register org.apache.james.mailrepository.file.FileMailRepository for the protocol 'file'"
                        + " (the sample holds mail in file://var/mail/...), as in conf/mailsec-sample/mailrepositorystore.xml.";
        }
    }

    private static Map<String, String> stockHashes() {
        Map<String, String> m = new HashMap<>();
        try (InputStream in =
                SamplePipeline.class.getResourceAsStream("james-3.8.1-stock.sha256")) {
            for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] f = line.trim().split("\\s+");
                    m.put(f[1], f[0]);
                }
            }
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the CLI jar lacks james-3.8.1-stock.sha256", e);
        }
        return m;
    }

    static String sha256(byte[] bytes) {
        try {
            return Hex.toHexString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String xmlEscape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
