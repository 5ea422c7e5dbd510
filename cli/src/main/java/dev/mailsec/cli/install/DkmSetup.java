package dev.mailsec.cli.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.DkimKeygenCommand;
import dev.mailsec.cli.dkm.DkmDirectory;
import dev.mailsec.cli.dkm.DkmStoreSession;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.KeyRecords;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretInfo;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.RightsSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The key manager part of {@code mailsec install}: the DKM directory (created as {@code dkm init}
 * does, or an existing one), the service identities and groups the mailets and the portal need,
 * DKIM keys per domain and the rights keys, and the two DKM client configurations (James's, the
 * portal's).
 */
final class DkmSetup {
    static final String MAIL = "mail";
    static final String RIGHTS = "rights";
    private static final SigningAlgorithm[] DKIM_ALGORITHMS = {
        SigningAlgorithm.RSA_SHA256, SigningAlgorithm.ED25519_SHA256
    };

    private final InstallLayout layout;
    private final InstallOptions o;
    private final InstallFiles files;
    private final Report report;
    private final PrintWriter err;
    private Path dir;
    private Path admin;

    DkmSetup(
            InstallLayout layout,
            InstallOptions o,
            InstallFiles files,
            Report report,
            PrintWriter err) {
        this.layout = layout;
        this.o = o;
        this.files = files;
        this.report = report;
        this.err = err;
    }

    String transportIdentity() {
        return o.join ? "james-transport-" + o.nodeName : "james-transport";
    }

    String portalIdentity() {
        return o.join ? "rights-portal-" + o.nodeName : "rights-portal";
    }

    Path credential(String identity) {
        return layout.credentials().resolve(identity + ".cred");
    }

    Path adminCredential() {
        return admin;
    }

    Path directory() {
        return dir;
    }

    /**
     * The DKM directory the installer works as admin in: made here, or the existing one --dkm-store
     * names.
     */
    void store() {
        boolean jdbc = o.dkmStore != null && o.dkmStore.startsWith("jdbc:");
        dir =
                o.dkmStore == null || jdbc
                        ? layout.dkmDir()
                        : Path.of(o.dkmStore).toAbsolutePath().normalize();
        files.directory(layout.state(), true);
        if (!Files.isRegularFile(dir.resolve("dkm.properties"))) {
            if (o.dkmStore != null && !jdbc) {
                throw new UserException(
                        "--dkm-store: no DKM directory at '"
                                + o.dkmStore
                                + "' (no dkm.properties; make one with 'mailsec dkm init', or leave --dkm-store out)",
                        2);
            }
            if (o.join) {
                joinDirectory();
            } else {
                Path rootKeys = o.rootKeys != null ? o.rootKeys : layout.rootKeys();
                Path cred =
                        DkmDirectory.init(
                                dir,
                                jdbc ? o.dkmStore : null,
                                o.dkmSchema,
                                null,
                                null,
                                rootKeys,
                                "admin",
                                err);
                report.changed(
                        "created the DKM store "
                                + files.rel(dir)
                                + (jdbc ? " (records in PostgreSQL)" : "")
                                + ", root key in "
                                + files.rel(rootKeys)
                                + ", admin credential "
                                + files.rel(cred));
                files.directory(rootKeys, true);
                files.directory(cred.getParent(), true);
            }
        }
        admin =
                o.adminCredential != null
                        ? o.adminCredential.toAbsolutePath()
                        : dir.resolve("credentials/admin.cred");
    }

    /**
     * A node joining a cluster's PostgreSQL store: a local DKM directory pointing at it and the
     * cluster's root keys.
     */
    private void joinDirectory() {
        if (o.dkmStore == null || !o.dkmStore.startsWith("jdbc:")) {
            throw new UserException(
                    "--join: needs --dkm-store jdbc:postgresql://... (the cluster's store) or the"
                            + " cluster's DKM directory, got '"
                            + (o.dkmStore == null ? "" : o.dkmStore)
                            + "'",
                    2);
        }
        if (o.rootKeys == null || !Files.isDirectory(o.rootKeys)) {
            throw new UserException(
                    "--root-keys: --join needs the cluster's root key directory, got '"
                            + (o.rootKeys == null ? "" : o.rootKeys)
                            + "'",
                    2);
        }
        String props =
                "# mailsec DKM, written by mailsec install --join: the cluster's store and root key\n"
                        + "store="
                        + o.dkmStore
                        + "\nstore.schema="
                        + o.dkmSchema
                        + "\nrootKey=file:"
                        + o.rootKeys.toAbsolutePath().normalize()
                        + "\ncacheTtl=PT5M\n";
        files.directory(dir, true);
        files.write(
                dir.resolve("dkm.properties"),
                props.getBytes(UTF_8),
                InstallFiles.OWNER_ONLY_FILE,
                "joins the cluster's DKM store");
    }

    /**
     * Identities, groups, memberships, DKIM keys and rights keys; nothing is asked of the store if
     * all are set up.
     */
    void keys(RightsSettings rights) {
        String store = storeUrl();
        InstallState state = new InstallState(layout.installState(), store);
        String transport = transportIdentity();
        String portal = portalIdentity();
        List<String> facts =
                new ArrayList<>(
                        List.of(
                                "group " + MAIL,
                                "group " + RIGHTS,
                                "identity " + transport,
                                "identity " + portal,
                                "member " + MAIL + " " + transport,
                                "member " + RIGHTS + " " + transport,
                                "member " + RIGHTS + " " + portal,
                                "rights keys " + RIGHTS));
        for (String d : o.domains) {
            for (SigningAlgorithm a : DKIM_ALGORITHMS) {
                facts.add("secret " + DkmSigningKeys.secretName(d, a));
            }
        }
        boolean credentialsThere =
                Files.isRegularFile(credential(transport))
                        && Files.isRegularFile(credential(portal));
        if (credentialsThere && facts.stream().allMatch(state::has)) {
            report.note(
                    "store "
                            + files.rel(dir)
                            + ": identities "
                            + transport
                            + " (groups "
                            + MAIL
                            + ", "
                            + RIGHTS
                            + ") and "
                            + portal
                            + " (group "
                            + RIGHTS
                            + "), DKIM keys of "
                            + String.join(", ", o.domains)
                            + " and the rights keys are set up");
            return;
        }
        // only now, with something to set up, is an admin needed (its credential may have been
        // moved off the host)
        if (!Files.isRegularFile(admin)) {
            throw new UserException(
                    "--admin-credential: no credential file at '"
                            + admin
                            + "' (DKM needs an admin to"
                            + " set up what is missing)",
                    2);
        }
        files.directory(layout.credentials(), true);
        List<String> records = new ArrayList<>();
        DkmStoreSession.run(
                dir,
                admin,
                km -> {
                    for (String g : List.of(MAIL, RIGHTS)) {
                        group(km, g);
                        state.add("group " + g);
                    }
                    for (String id : List.of(transport, portal)) {
                        identity(km, id);
                        state.add("identity " + id);
                    }
                    member(km, MAIL, transport, state);
                    member(km, RIGHTS, transport, state);
                    member(km, RIGHTS, portal, state);
                    Set<String> existing =
                            km.list().stream().map(SecretInfo::name).collect(Collectors.toSet());
                    for (String d : o.domains) {
                        for (SigningAlgorithm a : DKIM_ALGORITHMS) {
                            String name = DkmSigningKeys.secretName(d, a);
                            if (existing.contains(name)) {
                                report.note(
                                        name
                                                + ": exists in DKM, kept (its DNS record was printed where it was made)");
                            } else {
                                KeyPair kp = DkimKeygenCommand.Store.generate(a, 2048);
                                km.putKeyPair(
                                        name,
                                        MAIL,
                                        kp.getPrivate(),
                                        kp.getPublic(),
                                        Collections.emptyList());
                                records.add(
                                        KeyRecords.zoneLine(
                                                DkmSigningKeys.selector(a, 1), d, kp.getPublic()));
                                report.changed(
                                        name
                                                + ": created ("
                                                + a.tag()
                                                + ", version 1, group "
                                                + MAIL
                                                + ")");
                            }
                            state.add("secret " + name);
                        }
                    }
                    for (String s : DkmRightsKeyring.createSecrets(km, rights, RIGHTS)) {
                        report.changed(s + ": created (group " + RIGHTS + ")");
                    }
                    state.add("rights keys " + RIGHTS);
                });
        state.save(files);
        if (!records.isEmpty()) {
            Set<String> all = new LinkedHashSet<>(dkimRecords());
            all.addAll(records);
            files.write(
                    layout.dkimRecords(),
                    (String.join("\n", all) + "\n").getBytes(UTF_8),
                    InstallFiles.PUBLIC_FILE,
                    "the DKIM records to publish");
        }
    }

    private void group(KeyManager km, String group) throws DkmException {
        try {
            km.members(group);
        } catch (DkmInvalidRequestException e) {
            km.createGroup(group);
            report.changed("DKM group " + group + " created");
        }
    }

    private void identity(KeyManager km, String identity) throws DkmException {
        Path cred = credential(identity);
        if (Files.isRegularFile(cred)) {
            return;
        }
        try {
            km.createIdentity(identity, IdentityType.SERVICE, false, cred);
        } catch (DkmInvalidRequestException e) {
            throw new UserException(
                    "DKM identity "
                            + identity
                            + ": "
                            + e.getMessage()
                            + ", but its credential "
                            + cred
                            + " is not here (copy it there, or give this node its own identity with --join --node-name)",
                    1);
        }
        report.changed(
                "DKM identity " + identity + " created, credential " + files.rel(cred) + " (600)");
    }

    private void member(KeyManager km, String group, String identity, InstallState state)
            throws DkmException {
        if (!km.members(group).contains(identity)) {
            km.addMember(group, identity);
            report.changed(identity + " is now a member of DKM group " + group);
        }
        state.add("member " + group + " " + identity);
    }

    /** The DKIM TXT records made by this and earlier runs (public). */
    List<String> dkimRecords() {
        Path f = layout.dkimRecords();
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        return new String(InstallFiles.read(f), UTF_8)
                .lines()
                .filter(l -> !l.isBlank())
                .collect(Collectors.toList());
    }

    /**
     * A DKM client configuration (no root key: a mail node or a portal never holds it) for one
     * identity.
     */
    byte[] clientConfig(String identity, String who) {
        Properties p = adminProperties();
        StringBuilder s =
                new StringBuilder(
                        "# written by mailsec install: DKM client configuration of "
                                + who
                                + " (identity "
                                + identity
                                + "; no root key here)\n");
        s.append("store=").append(storeUrl()).append('\n');
        if (p.getProperty("store.schema") != null) {
            s.append("store.schema=").append(p.getProperty("store.schema").trim()).append('\n');
        }
        s.append("identity=").append(layout.ref(credential(identity))).append('\n');
        s.append("cacheTtl=PT5M\n");
        return s.toString().getBytes(UTF_8);
    }

    private String storeUrl() {
        try {
            String store = DkmConfig.load(dir.resolve("dkm.properties"), dir).store();
            return store.startsWith("file:") ? layout.fileUrl(Path.of(store.substring(5))) : store;
        } catch (DkmInvalidRequestException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("dkm.properties"), UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UserException(
                    "cannot read " + dir.resolve("dkm.properties") + ": " + e.getMessage(), 1);
        }
        return p;
    }
}
