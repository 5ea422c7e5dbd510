package dev.mailsec.smime;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where recipients' certificates are looked up: a folder ({@link FolderCertificateDirectory}) by
 * default, LDAP / Active Directory later. Returns every candidate; {@link RecipientCertificates}
 * decides which one is usable.
 */
public interface CertificateDirectory {

    /**
     * @throws IOException when the directory cannot be reached (temporary: the caller must not
     *     treat it as "no certificate", or mail that must be encrypted could go out in clear)
     */
    List<X509Certificate> lookup(String address) throws IOException;
}
