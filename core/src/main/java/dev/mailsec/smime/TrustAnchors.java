package dev.mailsec.smime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Loads trust anchors (root or pinned intermediate certificates) from PEM/DER files. */
public final class TrustAnchors {

    private TrustAnchors() {}

    public static Set<TrustAnchor> of(Collection<X509Certificate> certificates) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate c : certificates) {
            anchors.add(new TrustAnchor(c, null));
        }
        return anchors;
    }

    /**
     * A file with one or more certificates, or a folder of such files ({@code *.pem}, {@code
     * *.crt}, {@code *.der}, {@code *.cer}).
     */
    public static Set<TrustAnchor> load(Path path) throws IOException {
        Set<TrustAnchor> anchors = new HashSet<>();
        if (Files.isDirectory(path)) {
            try (DirectoryStream<Path> files =
                    Files.newDirectoryStream(path, "*.{pem,crt,der,cer}")) {
                for (Path f : files) {
                    anchors.addAll(of(PemSmimeKeySource.readCertificates(f)));
                }
            }
        } else {
            anchors.addAll(of(PemSmimeKeySource.readCertificates(path)));
        }
        if (anchors.isEmpty()) {
            throw new IOException("no certificate in " + path);
        }
        return anchors;
    }
}
