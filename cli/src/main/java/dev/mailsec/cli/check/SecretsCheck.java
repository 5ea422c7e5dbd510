package dev.mailsec.cli.check;

import dev.mailsec.config.PackPaths;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.rights.RightsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets the pack's configuration references, read from DKM as the identities of its {@code
 * dkm.properties} files: {@code SignDkim}'s DKIM keys (with their published records), the rights
 * keys named in each {@code rights.xml}, and the S/MIME keys of {@code SignSmime}/{@code
 * DecryptSmime} with {@code keySource=dkm}. Collects the portal URLs of the rights configurations
 * on the way.
 */
final class SecretsCheck implements AutoCloseable {
    static final String DEFAULT_DKM = "conf/dkm.properties";

    private final Path home;
    private final Report report;
    private final Optional<DkimRecordCheck> records;
    private final Map<Path, Optional<DkmSession>> sessions = new LinkedHashMap<>();
    private final Set<URI> portals = new LinkedHashSet<>();

    /**
     * DKM file and secret name of every secret read already (two SignDkim steps share their keys).
     */
    private final Set<String> read = new LinkedHashSet<>();

    /**
     * {@code records}: where DKIM records are compared, or empty when they are not (offline without
     * a zone).
     */
    SecretsCheck(Path home, Report report, Optional<DkimRecordCheck> records) {
        this.home = home;
        this.report = report;
        this.records = records;
    }

    void check(List<Map<String, String>> mailets) {
        Set<String> rights = new LinkedHashSet<>();
        for (Map<String, String> mailet : mailets) {
            String type = mailet.get("class");
            String where =
                    mailet.get("processor") + "/" + type.substring(type.lastIndexOf('.') + 1);
            if (type.endsWith(".dkim.SignDkim")) {
                dkim(where, mailet);
            } else if (type.startsWith("dev.mailsec.mailets.rights.")) {
                rights.add(mailet.getOrDefault("config", RightsSettings.DEFAULT_CONFIG).trim());
            } else if ((type.endsWith(".smime.SignSmime") || type.endsWith(".smime.DecryptSmime"))
                    && "dkm".equalsIgnoreCase(mailet.getOrDefault("keySource", "").trim())) {
                smime(where, mailet);
            }
        }
        for (String config : rights) {
            rights(config);
        }
    }

    /** The portal URLs of the rights configurations checked. */
    Set<URI> portals() {
        return portals;
    }

    private void dkim(String where, Map<String, String> mailet) {
        Optional<DkmSession> dkm = session(mailet.getOrDefault("dkmConfig", DEFAULT_DKM));
        if (dkm.isEmpty()) {
            return;
        }
        String algorithms = mailet.getOrDefault("algorithms", "rsa-sha256").trim();
        SigningAlgorithm one = SigningAlgorithm.fromTag(algorithms);
        if (one == null && !algorithms.equals("both")) {
            return; // the mailet's own line names the bad value
        }
        List<SigningAlgorithm> used =
                one == null
                        ? List.of(SigningAlgorithm.RSA_SHA256, SigningAlgorithm.ED25519_SHA256)
                        : List.of(one);
        Set<String> domains = new LinkedHashSet<>();
        String domain = mailet.get("domain");
        if (domain != null) {
            domains.add(domain.trim().toLowerCase(Locale.ROOT));
        } else {
            // signs for the From: domain: every domain with a DKIM key in the store
            for (String name : dkm.get().names()) {
                if (name.startsWith("dkim/")) {
                    String rest = name.substring("dkim/".length());
                    domains.add(
                            rest.endsWith("/ed25519")
                                    ? rest.substring(0, rest.length() - "/ed25519".length())
                                    : rest);
                }
            }
            if (domains.isEmpty()) {
                report.warn(
                        "mailet " + where,
                        "no DKIM key in DKM: every mail leaves unsigned "
                                + "(create one with 'mailsec dkim keygen DOMAIN')");
            }
        }
        for (String d : domains) {
            for (SigningAlgorithm algorithm : used) {
                String name = DkmSigningKeys.secretName(d, algorithm);
                if (domain == null && !dkm.get().names().contains(name)) {
                    continue; // a domain with only the other algorithm's key: SignDkim signs with
                    // what exists
                }
                if (!read.add(dkm.get() + " " + name)) {
                    continue;
                }
                Optional<SecretHandle> key = dkm.get().read(name, where, report);
                if (key.isPresent() && records.isPresent()) {
                    records.get().check(d, key.get(), report);
                }
            }
        }
    }

    private void rights(String config) {
        Path file = PackPaths.resolve(home, config);
        String what = "rights " + config;
        RightsSettings settings;
        try {
            settings = RightsSettings.load(file);
        } catch (IllegalArgumentException e) {
            report.error(what, Report.message(e));
            return;
        }
        portals.add(settings.portalUrl());
        Optional<DkmSession> dkm = session(settings.dkmConfig().toString());
        if (dkm.isPresent()) {
            for (String secret :
                    List.of(
                            settings.contentKeySecret(),
                            settings.signingKeySecret(),
                            settings.sessionKeySecret())) {
                if (read.add(dkm.get() + " " + secret)) {
                    dkm.get().read(secret, what, report);
                }
            }
        }
    }

    private void smime(String where, Map<String, String> mailet) {
        Optional<DkmSession> dkm = session(mailet.getOrDefault("dkmConfig", DEFAULT_DKM));
        if (dkm.isEmpty()) {
            return;
        }
        String signer = mailet.get("signer");
        List<String> names = new ArrayList<>();
        if (signer != null) {
            names.add("smime/" + signer.trim().toLowerCase(Locale.ROOT));
        } else {
            dkm.get().names().stream().filter(n -> n.startsWith("smime/")).forEach(names::add);
        }
        if (names.isEmpty()) {
            report.warn("mailet " + where, "no S/MIME key (smime/ADDRESS) in DKM");
        }
        for (String name : names) {
            if (read.add(dkm.get() + " " + name)) {
                dkm.get().read(name, where, report);
            }
        }
    }

    /** The DKM session of a {@code dkm.properties}, opened (and reported) once per file. */
    private Optional<DkmSession> session(String configured) {
        Path file = PackPaths.resolve(home, configured).toAbsolutePath().normalize();
        return sessions.computeIfAbsent(file, f -> DkmSession.open(f, shown(f), report));
    }

    private String shown(Path file) {
        return file.startsWith(home) ? home.relativize(file).toString() : file.toString();
    }

    @Override
    public void close() {
        sessions.values().forEach(s -> s.ifPresent(DkmSession::close));
    }
}
