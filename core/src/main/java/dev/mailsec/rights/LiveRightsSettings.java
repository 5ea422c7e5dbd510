package dev.mailsec.rights;

import dev.mailsec.config.reload.ReloadRefusedException;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.config.reload.ReloadableFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * rights.xml as a running process (James's rights mailets and WebAdmin, or the portal) applies it:
 * one shared {@link ReloadableFile} per file (docs/rights.md, "Reload"). Templates, organisation
 * domains, the portal link, the portal's settings and the branding follow a reload; what the
 * process opened at start (the rights store, the DKM client, the key names, the issuer, which signs
 * and checks every licence) cannot change without a restart, and a reload changing it is refused,
 * naming it.
 */
public final class LiveRightsSettings {

    /** The kind of file in audit lines and in {@link ReloadableFiles}. */
    public static final String KIND = "rights";

    private LiveRightsSettings() {}

    /**
     * The shared rights.xml at {@code file}.
     *
     * @throws IllegalArgumentException as {@link RightsSettings#load} at start
     */
    public static ReloadableFile<RightsSettings> shared(Path file) {
        try {
            return ReloadableFiles.shared(KIND, file, LiveRightsSettings::open);
        } catch (ReloadRefusedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static ReloadableFile<RightsSettings> open(Path file) throws ReloadRefusedException {
        ReloadableFile<RightsSettings> live =
                ReloadableFile.open(
                        KIND, file, LiveRightsSettings::read, LiveRightsSettings::changes);
        live.addCheck("opened at start", LiveRightsSettings::sameOpenedParts);
        return live;
    }

    /**
     * From now on a reload must keep template {@code name}, which {@code user} (e.g. a {@code
     * ProtectMessage} mailet) names: refused otherwise with {@code message}, the start's words.
     */
    public static void requireTemplate(
            ReloadableFile<RightsSettings> live, String user, String name, String message) {
        live.addCheck(
                user + " template " + name,
                (running, candidate) -> {
                    if (!candidate.templates().containsKey(name)) {
                        throw new ReloadRefusedException(message + candidate.templates().keySet());
                    }
                });
    }

    private static RightsSettings read(Path file) throws ReloadRefusedException {
        try {
            return RightsSettings.load(file);
        } catch (IllegalArgumentException e) {
            throw new ReloadRefusedException(e.getMessage(), e);
        }
    }

    private static void sameOpenedParts(RightsSettings running, RightsSettings candidate)
            throws ReloadRefusedException {
        List<String> changed = new ArrayList<>();
        same("<issuer>", running, candidate, RightsSettings::issuer, changed);
        same("<store url>", running, candidate, RightsSettings::storeUrl, changed);
        same("<store schema>", running, candidate, RightsSettings::storeSchema, changed);
        same("<dkm config>", running, candidate, s -> s.dkmConfig().toString(), changed);
        same("content key", running, candidate, RightsSettings::contentKeySecret, changed);
        same("signing key", running, candidate, RightsSettings::signingKeySecret, changed);
        same("session key", running, candidate, RightsSettings::sessionKeySecret, changed);
        if (!changed.isEmpty()) {
            throw new ReloadRefusedException(
                    "rights config: "
                            + String.join("; ", changed)
                            + " cannot change while the process runs (opened at start): restart"
                            + " James and the portal to change it");
        }
    }

    private static void same(
            String what,
            RightsSettings running,
            RightsSettings candidate,
            Function<RightsSettings, String> value,
            List<String> changed) {
        String before = value.apply(running);
        String after = value.apply(candidate);
        if (!Objects.equals(before, after)) {
            changed.add(what + " '" + before + "' -> '" + after + "'");
        }
    }

    /** What of a branding set the pages show: names, logos, colours, wrapper wording, domains. */
    private static String brandingKey(BrandingSet set) {
        StringBuilder b = new StringBuilder(set.byDomain().keySet().toString());
        for (Branding one : set.all()) {
            b.append('|').append(one).append(one.css()).append(one.wrapperWording("{sender}"));
        }
        return b.toString();
    }

    /** The changes from {@code before} to {@code after} that take effect. */
    public static List<String> changes(RightsSettings before, RightsSettings after) {
        List<String> changes = new ArrayList<>();
        Map<String, RightsTemplate> old = before.templates();
        Map<String, RightsTemplate> now = after.templates();
        now.forEach(
                (name, t) -> {
                    if (!old.containsKey(name)) {
                        changes.add("template '" + name + "' added");
                    } else if (!old.get(name).equals(t)) {
                        changes.add("template '" + name + "' changed");
                    }
                });
        old.keySet().stream()
                .filter(name -> !now.containsKey(name))
                .forEach(name -> changes.add("template '" + name + "' removed"));
        if (!before.organisationDomains().equals(after.organisationDomains())) {
            changes.add("organisationDomains " + after.organisationDomains());
        }
        if (!before.portalUrl().equals(after.portalUrl())) {
            changes.add("portal url " + after.portalUrl());
        }
        if (!before.portal().toString().equals(after.portal().toString())) {
            changes.add("<portal> settings changed");
        }
        if (!brandingKey(before.branding()).equals(brandingKey(after.branding()))) {
            changes.add("<branding> changed");
        }
        if (before.subjectMode() != after.subjectMode()
                || !Objects.equals(before.replacementSubject(), after.replacementSubject())) {
            changes.add("<subject> changed");
        }
        return changes;
    }
}
