package dev.mailsec.cli.check;

import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.sign.DkmSigningKeys;
import dev.mailsec.dkim.sign.KeyRecords;
import dev.mailsec.dkim.sign.SigningAlgorithm;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretVersion;
import dev.mailsec.dkm.VersionState;

/**
 * Compares each version of a DKIM key in DKM with the TXT record published at its selector ({@code
 * rsa-vN._domainkey.DOMAIN}, {@link DkmSigningKeys}). The primary's record must be published and
 * match (receivers verify with it); so must a version added by a rollover and not promoted yet,
 * since promoting it before its record is visible would break every signature; an archived
 * version's missing record is a warning (mail it signed may still be verified).
 */
final class DkimRecordCheck {
    private final KeyRecordSource records;
    private final String source;

    DkimRecordCheck(KeyRecordSource records, String source) {
        this.records = records;
        this.source = source;
    }

    void check(String domain, SecretHandle key, Report report) {
        for (SecretVersion version : key.versions()) {
            SigningAlgorithm algorithm = SigningAlgorithm.ofKeyAlgorithm(version.algorithm());
            if (algorithm == null || version.state() == VersionState.DESTROYED) {
                continue;
            }
            String selector = DkmSigningKeys.selector(algorithm, version.number());
            String name = KeyRecords.name(selector, domain);
            String what =
                    "dkim "
                            + name
                            + " ("
                            + key.name()
                            + " version "
                            + version.number()
                            + ", "
                            + state(version.state())
                            + ")";
            KeyLookup lookup = records.lookup(name);
            if (lookup.status() == KeyLookup.Status.TEMPORARY_FAILURE) {
                report.error(what, "cannot look it up in " + source + ": " + lookup.detail());
            } else if (lookup.status() == KeyLookup.Status.NOT_FOUND) {
                String why =
                        "not published in "
                                + source
                                + "; publish: "
                                + DkmSigningKeys.zoneLine(domain, version);
                if (version.state() == VersionState.ARCHIVED) {
                    report.warn(what, why);
                } else {
                    report.error(
                            what,
                            why
                                    + (version.state() == VersionState.ENABLED
                                            ? " (before promoting this version)"
                                            : ""));
                }
            } else if (lookup.records().stream()
                    .anyMatch(r -> KeyRecords.publishes(r, version.publicKey()))) {
                report.ok(what + ": published in " + source + ", matches the key");
            } else {
                report.error(
                        what,
                        "the record in "
                                + source
                                + " does not match the key in DKM; publish: "
                                + DkmSigningKeys.zoneLine(domain, version));
            }
        }
    }

    private static String state(VersionState state) {
        switch (state) {
            case PRIMARY:
                return "primary";
            case ENABLED:
                return "not promoted yet";
            default:
                return "archived";
        }
    }
}
