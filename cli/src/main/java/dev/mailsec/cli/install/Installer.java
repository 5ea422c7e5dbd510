package dev.mailsec.cli.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mailsec.cli.UserException;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsStoreUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code mailsec install}: sets the pack up in an existing James home, idempotently. Every step
 * compares what is there with what it would make and writes only the difference, so a second run
 * with the same flags changes nothing and says so. Order: the jars, the DKM store and its client
 * configurations, rights.xml and the rights store, the keys in DKM, the S/MIME folders, the sample
 * pipeline.
 */
public final class Installer {
    private final InstallOptions o;
    private final InstallLayout layout;
    private final Report report;
    private final InstallFiles files;
    private final PrintWriter out;
    private final PrintWriter err;

    Installer(InstallOptions options, PrintWriter out, PrintWriter err) {
        this.o = options;
        this.layout = new InstallLayout(options.jamesHome);
        this.report = new Report(out);
        this.files = new InstallFiles(layout.home, report);
        this.out = out;
        this.err = err;
    }

    /** Runs every step; returns the number of changes made. */
    int run() {
        out.println("mailsec install into " + layout.home);
        report.section("jars (extensions-jars/mailsec/):");
        jars();
        report.section("rights protection:");
        RightsSettings rights = rightsConfig();
        rightsStore(rights);
        report.section("key manager (DKM):");
        DkmSetup dkm = new DkmSetup(layout, o, files, report, err);
        dkm.store();
        files.write(
                layout.jamesDkmConfig(),
                dkm.clientConfig(dkm.transportIdentity(), "James"),
                InstallFiles.OWNER_ONLY_FILE,
                "James's DKM client, identity " + dkm.transportIdentity());
        files.write(
                layout.portalDkmConfig(),
                dkm.clientConfig(dkm.portalIdentity(), "the rights portal"),
                InstallFiles.OWNER_ONLY_FILE,
                "the portal's DKM client, identity " + dkm.portalIdentity());
        dkm.keys(rights);
        report.section("configuration (conf/):");
        new SamplePipeline(layout, o, files, report, o.bundle.resolve("conf")).install();
        new WebAdminRoutesStep(layout, files, report).install();

        List<String> records = dkm.dkimRecords();
        if (!records.isEmpty()) {
            out.println(
                    "DNS: publish these DKIM records (kept in "
                            + files.rel(layout.dkimRecords())
                            + "):");
            records.forEach(r -> out.println("  " + r));
        }
        if (Files.exists(dkm.adminCredential())) {
            out.println(
                    "DKM admin credential: "
                            + dkm.adminCredential()
                            + " (a person's key: move it off this host, INSTALL.md)");
        }
        out.println(
                report.changes() == 0
                        ? "nothing changed: the pack was already installed as asked"
                        : report.changes()
                                + " change(s) made; check with: bin/mailsec check --james-home "
                                + layout.home);
        out.flush();
        return report.changes();
    }

    /**
     * extensions-jars/mailsec/ holds exactly the bundle's jars (the folder is the installer's
     * alone).
     */
    private void jars() {
        Path source = o.bundle.resolve("extensions-jars");
        Set<String> wanted = jarNames(source);
        if (wanted.isEmpty()) {
            throw new UserException("--bundle: no jars in " + source, 2);
        }
        files.directory(layout.jars(), false);
        for (String name : jarNames(layout.jars())) {
            if (!wanted.contains(name)) {
                delete(
                        layout.jars().resolve(name),
                        "removed extensions-jars/mailsec/" + name + " (not in this version)");
            }
        }
        // a README-style install of an earlier version copied the jars into extensions-jars/
        // itself: the same
        // names, or the pack's own under another version (mailsec-*), would be loaded beside these
        for (String name : jarNames(layout.home.resolve("extensions-jars"))) {
            if (wanted.contains(name) || name.startsWith("mailsec-")) {
                delete(
                        layout.home.resolve("extensions-jars").resolve(name),
                        "removed extensions-jars/"
                                + name
                                + " (an earlier copy; the pack's jars live in extensions-jars/mailsec/)");
            }
        }
        int before = report.changes();
        for (String name : wanted) {
            files.write(
                    layout.jars().resolve(name),
                    InstallFiles.read(source.resolve(name)),
                    InstallFiles.PUBLIC_FILE,
                    "");
        }
        if (report.changes() == before) {
            report.note(wanted.size() + " jars, unchanged");
        }
    }

    private void delete(Path file, String line) {
        try {
            Files.delete(file);
            report.changed(line);
        } catch (IOException e) {
            throw new UserException("cannot remove " + file + ": " + e.getMessage(), 1);
        }
    }

    private static Set<String> jarNames(Path dir) {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path p : jars) {
                if (Files.isRegularFile(p)) {
                    names.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot list " + dir + ": " + e.getMessage(), 1);
        }
        return names;
    }

    /**
     * conf/rights.xml from the flags. One written by hand, or by other flags, is kept: the new one
     * goes next to it as rights.xml.mailsec-new, and the run says so.
     */
    private RightsSettings rightsConfig() {
        byte[] rendered = renderRights().getBytes(UTF_8);
        Path file = layout.rightsConfig();
        Path written = file;
        if (Files.isRegularFile(file) && !Arrays.equals(InstallFiles.read(file), rendered)) {
            written = file.resolveSibling("rights.xml.mailsec-new");
            files.write(written, rendered, rightsMode(), "what these flags make");
            report.note(
                    "conf/rights.xml differs from what these flags make: kept; compare with conf/rights.xml.mailsec-new");
        } else {
            files.write(
                    file,
                    rendered,
                    rightsMode(),
                    "issuer " + o.domains.get(0) + ", portal " + o.portalUrl);
        }
        try {
            return RightsSettings.load(Files.isRegularFile(file) ? file : written);
        } catch (IllegalArgumentException e) {
            throw new UserException(file + ": " + e.getMessage(), 2);
        }
    }

    /** Owner-only when the rights store's URL carries a password. */
    private Set<PosixFilePermission> rightsMode() {
        return o.rightsStore != null && o.rightsStore.toLowerCase(Locale.ROOT).contains("password=")
                ? InstallFiles.OWNER_ONLY_FILE
                : InstallFiles.PUBLIC_FILE;
    }

    private String renderRights() {
        List<String> lines = new ArrayList<>();
        lines.add("<?xml version=\"1.0\"?>");
        lines.add("<!--");
        lines.add(
                "  Rights protection (docs/rights.md), written by 'mailsec install' from its flags (domain,");
        lines.add(
                "  organisation-domain, portal-url, portal-listen, portal-smtp). Read by the rights mailets and by the");
        lines.add(
                "  portal: bin/mailsec portal, config conf/rights.xml, dkm-config conf/portal-dkm.properties (INSTALL.md).");
        lines.add("-->");
        lines.add("<rights>");
        lines.add("  <issuer>" + o.domains.get(0) + "</issuer>");
        lines.add(
                "  <organisationDomains>"
                        + String.join(",", o.organisationDomains)
                        + "</organisationDomains>");
        lines.add(
                "  <portal url=\""
                        + xml(o.portalUrl.toString())
                        + "\" bind=\""
                        + xml(o.portalBindHost)
                        + "\" port=\""
                        + o.portalPort
                        + "\" smtpHost=\""
                        + xml(o.portalSmtpHost)
                        + "\" smtpPort=\""
                        + o.portalSmtpPort
                        + "\"/>");
        lines.add(
                o.rightsStore != null
                        ? "  <store url=\"" + xml(o.rightsStore) + "\" schema=\"mailsec_rights\"/>"
                        : "  <store url=\"" + xml(layout.fileUrl(layout.rightsStore())) + "\"/>");
        lines.add("  <dkm config=\"" + xml(layout.ref(layout.jamesDkmConfig())) + "\"/>");
        lines.add("  <subject mode=\"keep\"/>");
        lines.add("  <templates>");
        lines.add(
                "    <template name=\"encrypt-only\" rights=\"view,reply,reply-all,forward,print,extract\"/>");
        lines.add("    <template name=\"do-not-forward\" rights=\"view,reply,reply-all\"/>");
        lines.add(
                "    <template name=\"confidential-30d\" rights=\"view,reply\" expiry=\"P30D\"/>");
        lines.add("  </templates>");
        lines.add("</rights>");
        return String.join("\n", lines) + "\n";
    }

    private void rightsStore(RightsSettings settings) {
        if (settings.storeUrl().startsWith("jdbc:")) {
            // a shared store: opening it creates its tables when missing, and is reachable now
            // rather than at James's start
            try (RightsStore store = RightsStore.open(settings)) {
                return;
            } catch (RightsStoreUnavailableException e) {
                throw new UserException("--rights-store: cannot open: " + e.getMessage(), 75);
            }
        }
        if (!settings.storeUrl().startsWith("file:")
                || Files.isDirectory(Path.of(settings.storeUrl().substring(5)))) {
            return;
        }
        try (RightsStore store = RightsStore.open(settings)) {
            report.changed(
                    "created the rights store "
                            + files.rel(Path.of(settings.storeUrl().substring(5))));
        } catch (RightsStoreUnavailableException e) {
            throw new UserException("cannot create the rights store: " + e.getMessage(), 1);
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
