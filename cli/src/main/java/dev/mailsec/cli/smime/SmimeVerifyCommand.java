package dev.mailsec.cli.smime;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.smime.ChainValidator;
import dev.mailsec.smime.LdapServer;
import dev.mailsec.smime.SmimeResult;
import dev.mailsec.smime.SmimeSettings;
import dev.mailsec.smime.SmimeVerification;
import dev.mailsec.smime.SmimeVerifier;
import dev.mailsec.smime.TrustAnchors;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec smime verify MESSAGE}: against trust anchors, optionally with revocation checks
 * (OCSP, CRLs, LDAP).
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description =
                "Verify MESSAGE against the trust anchors given with --cert; prints the smime= result. Exit 0 only for pass.")
final class SmimeVerifyCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MESSAGE")
    String message;

    @Option(
            names = "--cert",
            required = true,
            paramLabel = "FILE",
            description = "trusted CA certificate(s), repeatable")
    List<Path> anchors;

    @Option(
            names = "--check-revocation",
            description =
                    "ask the certificates' OCSP responders, then fetch CRLs from their distribution points")
    boolean revocation;

    @Option(
            names = "--ocsp-soft-fail",
            description =
                    "with --check-revocation: a certificate whose OCSP responder does not answer and that has no CRL counts as not revoked (default: temperror)")
    boolean ocspSoftFail;

    @Option(
            names = "--crl-ldap-url",
            paramLabel = "URL",
            description =
                    "with --check-revocation: ldap://host[:port] for LDAP CRL distribution points that name no server (Active Directory's ldap:///CN=...)")
    String crlLdapUrl;

    @Option(
            names = "--crl-ldap-bind-dn",
            paramLabel = "DN",
            description =
                    "with --crl-ldap-url: bind to that server (only) as DN, password from --crl-ldap-password-secret")
    String crlLdapBindDn;

    @Option(
            names = "--crl-ldap-password-secret",
            paramLabel = "NAME",
            description =
                    "OPAQUE DKM secret holding the --crl-ldap-bind-dn password (with --dkm, --identity)")
    String crlLdapPasswordSecret;

    @Option(
            names = "--crl-ldap-tls-ca",
            paramLabel = "FILE",
            description =
                    "with an ldaps:// --crl-ldap-url: the CA certificate(s) its TLS certificate must chain to (default: the JVM's trust store)")
    String crlLdapTlsCa;

    @CommandLine.Mixin SmimeDkm.DkmAccess access;

    @Override
    public Integer call() {
        Set<TrustAnchor> trust = new HashSet<>();
        for (Path a : anchors) {
            try {
                trust.addAll(TrustAnchors.load(a));
            } catch (IOException e) {
                throw new UserException("--cert: " + e.getMessage(), 2);
            }
        }
        Dkm dkm = null;
        LdapServer crlLdap;
        try {
            if (crlLdapBindDn != null && crlLdapPasswordSecret == null) {
                throw new UserException("--crl-ldap-bind-dn: needs --crl-ldap-password-secret", 2);
            }
            if (crlLdapPasswordSecret != null) {
                dkm = access.open("--crl-ldap-password-secret");
            }
            Dkm client = dkm;
            Map<String, String> given = new HashMap<>();
            given.put("crlLdapUrl", crlLdapUrl);
            given.put("crlLdapBindDn", crlLdapBindDn);
            given.put("crlLdapPasswordSecret", crlLdapPasswordSecret);
            given.put("crlLdapTlsTrustAnchors", crlLdapTlsCa);
            crlLdap = SmimeSettings.crlLdapServer(given::get, () -> client);
        } catch (IllegalArgumentException e) {
            if (dkm != null) {
                dkm.close();
            }
            throw new UserException(
                    e.getMessage()
                            .replace("crlLdapBindDn", "--crl-ldap-bind-dn")
                            .replace("crlLdapUrl", "--crl-ldap-url")
                            .replace("crlLdapPasswordSecret", "--crl-ldap-password-secret")
                            .replace("crlLdapTlsTrustAnchors", "--crl-ldap-tls-ca"),
                    2);
        }
        SmimeVerification v;
        try (InputStream in = SmimeFiles.open(message)) {
            v =
                    new SmimeVerifier(
                                    SmimeSettings.chains(
                                            trust,
                                            revocation,
                                            true,
                                            ocspSoftFail
                                                    ? ChainValidator.OcspFailure.SOFT
                                                    : ChainValidator.OcspFailure.HARD,
                                            Duration.ofSeconds(5),
                                            crlLdap),
                                    Clock.systemUTC())
                            .verify(in);
        } catch (IOException e) {
            throw new UserException("I/O error: " + e.getMessage());
        } finally {
            if (dkm != null) {
                dkm.close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(v.authenticationResultsEntry());
        out.flush();
        return v.result() == SmimeResult.PASS ? 0 : 1;
    }
}
