package dev.mailsec.tls.connector;

import dev.mailsec.tls.SubjectAltNames;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a server certificate is issued for a host name, as RFC 6125 says: the DNS subject
 * alternative names, a wildcard only as the whole left-most label ({@code *.example.com} matches
 * {@code mx.example.com}, not {@code example.com} nor {@code a.mx.example.com}); the subject's
 * common name only when the certificate has no DNS names (what JavaMail's {@code
 * checkserveridentity} also accepts).
 */
public final class HostNameMatcher {

    private HostNameMatcher() {}

    /**
     * The certificate name that matches {@code host} (e.g. {@code DNS:mx.example.com}), or empty.
     */
    public static Optional<String> match(String host, X509Certificate certificate) {
        String wanted = DomainPattern.normalize(host).orElse(host.toLowerCase(Locale.ROOT));
        List<String> dnsNames = new ArrayList<>();
        for (String name : SubjectAltNames.of(certificate)) {
            if (name.startsWith("DNS:")) {
                dnsNames.add(name.substring(4));
            }
        }
        if (!dnsNames.isEmpty()) {
            for (String name : dnsNames) {
                if (matches(wanted, name)) {
                    return Optional.of("DNS:" + name);
                }
            }
            return Optional.empty();
        }
        return commonName(certificate).filter(cn -> matches(wanted, cn)).map(cn -> "CN=" + cn);
    }

    static boolean matches(String host, String pattern) {
        String candidate = pattern.toLowerCase(Locale.ROOT);
        if (candidate.endsWith(".")) {
            candidate = candidate.substring(0, candidate.length() - 1);
        }
        if (candidate.startsWith("*.")) {
            String suffix = candidate.substring(1);
            int firstDot = host.indexOf('.');
            return firstDot > 0
                    && host.substring(firstDot).equals(suffix)
                    && suffix.indexOf('.', 1) > 0;
        }
        return host.equals(candidate);
    }

    private static Optional<String> commonName(X509Certificate certificate) {
        try {
            LdapName name =
                    new LdapName(
                            certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException unparsable) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
