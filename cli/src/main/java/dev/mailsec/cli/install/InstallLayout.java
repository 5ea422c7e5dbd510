package dev.mailsec.cli.install;

import java.nio.file.Path;

/**
 * Where the pack lives inside a James home (the defaults of the path rule, docs/install.md):
 * everything the installer writes is under {@code home}.
 */
final class InstallLayout {
    final Path home;

    InstallLayout(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    Path conf() {
        return home.resolve("conf");
    }

    Path jars() {
        return home.resolve("extensions-jars").resolve("mailsec");
    }

    /** The pack's state: mode 700, so nothing below it is readable by others. */
    Path state() {
        return home.resolve("var").resolve("mailsec");
    }

    Path dkmDir() {
        return state().resolve("dkm");
    }

    /**
     * Outside the DKM directory: a copy of the store (a backup) must not carry the key that unwraps
     * it.
     */
    Path rootKeys() {
        return state().resolve("dkm-root-keys");
    }

    Path credentials() {
        return state().resolve("credentials");
    }

    Path rightsStore() {
        return state().resolve("rights");
    }

    Path installState() {
        return state().resolve("install.state");
    }

    Path dkimRecords() {
        return state().resolve("dkim-records.txt");
    }

    Path keystoreSecret() {
        return state().resolve("keystore.secret");
    }

    Path jamesDkmConfig() {
        return conf().resolve("dkm.properties");
    }

    Path portalDkmConfig() {
        return conf().resolve("portal-dkm.properties");
    }

    Path rightsConfig() {
        return conf().resolve("rights.xml");
    }

    Path smimeCerts() {
        return conf().resolve("smime").resolve("certs");
    }

    Path smimeAnchors() {
        return conf().resolve("smime").resolve("ca.pem");
    }

    Path keystore() {
        return conf().resolve("keystore.p12");
    }

    /**
     * How a path is written into the pack's configuration files: relative to the James home when
     * inside it (the path rule, docs/paths.md: James and every pack process resolve it against the
     * home, so the home can move), absolute otherwise (an existing store elsewhere).
     */
    String ref(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(home) ? home.relativize(abs).toString() : abs.toString();
    }

    /**
     * A {@code file:} URL of the pack's configuration for {@code p}: {@code file://rel} or {@code
     * file:///abs}.
     */
    String fileUrl(Path p) {
        return "file://" + ref(p);
    }
}
