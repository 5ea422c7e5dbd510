package dev.mailsec.smime;

import dev.mailsec.asn1.BerLimitException;
import dev.mailsec.asn1.BerLimits;
import dev.mailsec.shaded.bc.asn1.ASN1OctetString;
import dev.mailsec.shaded.bc.asn1.x509.AccessDescription;
import dev.mailsec.shaded.bc.asn1.x509.AuthorityInformationAccess;
import dev.mailsec.shaded.bc.asn1.x509.CRLDistPoint;
import dev.mailsec.shaded.bc.asn1.x509.DistributionPoint;
import dev.mailsec.shaded.bc.asn1.x509.DistributionPointName;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.asn1.x509.GeneralName;
import dev.mailsec.shaded.bc.asn1.x509.GeneralNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a certificate says its revocation status can be asked: the OCSP responders of its Authority
 * Information Access and the URLs of its CRL distribution points, read for the {@link
 * ChainValidator}. A malformed or oversized extension names nothing. Stateless.
 */
final class RevocationPointers {
    private RevocationPointers() {}

    /** The http(s) OCSP responders of the certificate's Authority Information Access extension. */
    static List<URI> ocspResponders(X509Certificate cert) {
        List<URI> uris = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return uris;
        }
        try {
            byte[] value = ASN1OctetString.getInstance(ext).getOctets();
            BerLimits.check(value);
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(value);
            for (AccessDescription d : aia.getAccessDescriptions()) {
                GeneralName gn = d.getAccessLocation();
                if (!AccessDescription.id_ad_ocsp.equals(d.getAccessMethod())
                        || gn.getTagNo() != GeneralName.uniformResourceIdentifier) {
                    continue;
                }
                String s = gn.getName().toString();
                String lower = s.toLowerCase(Locale.ROOT);
                if (lower.startsWith("http:") || lower.startsWith("https:")) {
                    try {
                        uris.add(new URI(s));
                    } catch (URISyntaxException e) {
                        // an unusable responder address is skipped; CRLs may still decide
                    }
                }
            }
        } catch (IllegalArgumentException | BerLimitException e) {
            // a malformed extension names no responder
        }
        return uris;
    }

    /**
     * The certificate's CRL distribution points, each as its list of URLs in the order given: the
     * names of one point are alternative ways to the same CRL (RFC 5280 section 4.2.1.13). Schemes
     * we can fetch: http, https, file, ldap, ldaps; a point with none of those is left out.
     */
    static List<List<URI>> distributionPoints(X509Certificate cert) {
        List<List<URI>> points = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return points;
        }
        try {
            byte[] value = ASN1OctetString.getInstance(ext).getOctets();
            BerLimits.check(value);
            CRLDistPoint extension = CRLDistPoint.getInstance(value);
            for (DistributionPoint dp : extension.getDistributionPoints()) {
                DistributionPointName name = dp.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
                    continue;
                }
                List<URI> uris = new ArrayList<>();
                for (GeneralName gn : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (gn.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        String s = gn.getName().toString();
                        String lower = s.toLowerCase(Locale.ROOT);
                        if (lower.startsWith("http:")
                                || lower.startsWith("https:")
                                || lower.startsWith("file:")
                                || lower.startsWith("ldap:")
                                || lower.startsWith("ldaps:")) {
                            try {
                                uris.add(new URI(s));
                            } catch (URISyntaxException e) {
                                // an unusable URL is skipped; another name or distribution point
                                // may serve
                            }
                        }
                    }
                }
                if (!uris.isEmpty()) {
                    points.add(uris);
                }
            }
        } catch (IllegalArgumentException | BerLimitException e) {
            // unreadable extension: no distribution point
        }
        return points;
    }
}
