package dev.mailsec.smime;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The mail addresses a certificate speaks for: rfc822Name subject alternative names, and the legacy
 * emailAddress attribute of the subject (RFC 8550 section 3). Lower-cased.
 */
public final class CertificateAddresses {

    private static final String EMAIL_ADDRESS_OID = "1.2.840.113549.1.9.1";
    private static final Map<String, String> OID_NAMES = Map.of(EMAIL_ADDRESS_OID, "emailAddress");

    private CertificateAddresses() {}

    public static Set<String> of(X509Certificate certificate) {
        Set<String> addresses = new LinkedHashSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(1).equals(name.get(0)) && name.get(1) instanceof String) {
                        addresses.add(((String) name.get(1)).trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a broken SAN extension names nobody; the subject may still do
        }
        try {
            LdapName dn =
                    new LdapName(
                            certificate.getSubjectX500Principal().getName("RFC2253", OID_NAMES));
            for (Rdn rdn : dn.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("emailAddress")
                        || rdn.getType().equals(EMAIL_ADDRESS_OID)) {
                    Object value = rdn.getValue();
                    if (value instanceof String) {
                        addresses.add(((String) value).trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (InvalidNameException e) {
            // unparseable subject: only the SANs count
        }
        return addresses;
    }

    public static boolean matches(X509Certificate certificate, String address) {
        return of(certificate).contains(address.trim().toLowerCase(Locale.ROOT));
    }
}
