package dev.mailsec.cli.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mailsec.cli.UserException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * conf/smime/ca.pem, the CAs EncryptSmime trusts for recipients' certificates, made once by {@code
 * mailsec install}.
 */
final class SmimeAnchors {
    private SmimeAnchors() {}

    /**
     * conf/smime/ca.pem, the CAs EncryptSmime trusts for recipients' certificates, made once from
     * the JDK's CA certificates (public CAs); the operator replaces it with the CAs of their
     * partners.
     */
    static void install(InstallLayout layout, InstallFiles files) {
        files.directory(layout.smimeCerts(), false);
        if (Files.exists(layout.smimeAnchors())) {
            return;
        }
        try (InputStream in =
                Files.newInputStream(
                        Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(in, null);
            List<String> aliases = Collections.list(ks.aliases());
            Collections.sort(aliases);
            StringBuilder pem = new StringBuilder();
            Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(UTF_8));
            int written = 0;
            for (String alias : aliases) {
                Certificate c = ks.getCertificate(alias);
                // an expired anchor never validates anything: leave it out
                if (c instanceof X509Certificate && isValidNow((X509Certificate) c)) {
                    written++;
                    pem.append("# ")
                            .append(alias)
                            .append('\n')
                            .append("-----BEGIN CERTIFICATE-----\n")
                            .append(b64.encodeToString(c.getEncoded()))
                            .append("\n-----END CERTIFICATE-----\n");
                }
            }
            files.write(
                    layout.smimeAnchors(),
                    pem.toString().getBytes(UTF_8),
                    InstallFiles.PUBLIC_FILE,
                    "S/MIME trust anchors: the JDK's "
                            + written
                            + " valid CA certificates; replace with your partners' CAs");
        } catch (IOException | GeneralSecurityException e) {
            throw new UserException(
                    "cannot read the JDK's CA certificates for conf/smime/ca.pem: "
                            + e.getMessage(),
                    1);
        }
    }

    private static boolean isValidNow(X509Certificate c) {
        try {
            c.checkValidity();
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }
}
