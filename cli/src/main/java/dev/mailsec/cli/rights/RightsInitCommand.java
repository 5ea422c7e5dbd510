package dev.mailsec.cli.rights;

import dev.mailsec.cli.dkm.DkmStoreSession;
import dev.mailsec.rights.DiscoveryRole;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mailsec rights init --store DKMDIR --identity ADMIN.cred --group rights}: creates the
 * three rights secrets in DKM (content key, licence signing key, portal session key) for a group;
 * existing ones are kept. With a rights configuration at hand it also creates the rights state
 * store.
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description =
                "Create the rights keys in DKM (rights/content-key, rights/signing, rights/portal-session) for a group;"
                        + " existing secrets are left alone.")
public final class RightsInitCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RightsConfigOption config;

    @Option(
            names = "--store",
            paramLabel = "PATH",
            defaultValue = "dkm",
            description = "DKM directory made by 'dkm init' (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--identity",
            required = true,
            paramLabel = "FILE",
            description = "Credential file of an admin (or a member of the group).")
    Path identity;

    @Option(
            names = "--group",
            required = true,
            paramLabel = "GROUP",
            description =
                    "DKM group whose members use the keys (james-transport and the portal's identity).")
    String group;

    @Option(
            names = "--discovery-group",
            paramLabel = "GROUP",
            description =
                    "Also create the eDiscovery role: this DKM group (e.g. rights-discovery) and its secret"
                            + " GROUP/role, which people reach only through approved elevated access.")
    String discoveryGroup;

    @Override
    public Integer call() {
        RightsSettings settings =
                config.exists()
                        ? config.load()
                        : RightsSettings.builder()
                                .issuer("localhost.localdomain")
                                .storeUrl("file:unused", null)
                                .build();
        PrintWriter out = spec.commandLine().getOut();
        DkmStoreSession.run(
                dir,
                identity,
                km -> {
                    List<String> created = DkmRightsKeyring.createSecrets(km, settings, group);
                    for (String s :
                            List.of(
                                    settings.contentKeySecret(),
                                    settings.signingKeySecret(),
                                    settings.sessionKeySecret())) {
                        out.println(
                                s
                                        + ": "
                                        + (created.contains(s)
                                                ? "created (version 1, group " + group + ")"
                                                : "exists, kept"));
                    }
                    if (discoveryGroup != null) {
                        String role = DiscoveryRole.secretOf(discoveryGroup);
                        out.println(
                                role
                                        + ": "
                                        + (DiscoveryRole.create(km, discoveryGroup, role)
                                                ? "created (the eDiscovery role, group "
                                                        + discoveryGroup
                                                        + ")"
                                                : "exists, kept"));
                    }
                });
        if (config.exists()) {
            try (RightsStore store = RightsConfigOption.openStore(settings)) {
                out.println(
                        "rights store: ready at "
                                + settings.storeUrl().replaceAll("password=[^&]*", "password=***"));
            }
        }
        out.flush();
        return 0;
    }
}
