package dev.mailsec.smime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Certificates from a folder of PEM or DER files ({@code *.pem}, {@code *.crt}, {@code *.cer},
 * {@code *.der}), indexed by the addresses they name. Loaded once; build a new one to reload.
 */
public final class FolderCertificateDirectory implements CertificateDirectory {

    private final Map<String, List<X509Certificate>> byAddress;
    private final Path folder;

    public FolderCertificateDirectory(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("not a folder: " + folder);
        }
        this.folder = folder;
        Map<String, List<X509Certificate>> map = new HashMap<>();
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(folder, "*.{pem,crt,cer,der}")) {
            for (Path f : files) {
                for (X509Certificate c : PemSmimeKeySource.readCertificates(f)) {
                    for (String a : CertificateAddresses.of(c)) {
                        map.computeIfAbsent(a, k -> new ArrayList<>()).add(c);
                    }
                }
            }
        }
        Map<String, List<X509Certificate>> frozen = new HashMap<>();
        map.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        this.byAddress = Map.copyOf(frozen);
    }

    @Override
    public List<X509Certificate> lookup(String address) {
        return byAddress.getOrDefault(address.trim().toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String toString() {
        return "FolderCertificateDirectory{" + folder + ", " + byAddress.size() + " addresses}";
    }
}
