package dev.mailsec.tls.published;

import dev.mailsec.tls.KeyMatch;
import dev.mailsec.tls.connector.HostNameMatcher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server certificate chain and its private key from PEM files (what certbot and most CAs hand
 * out): the chain leaf first, the key an unencrypted PKCS#8 {@code PRIVATE KEY} (RSA, EC or
 * Ed25519). Loading proves the key belongs to the leaf. {@code toString()} shows the subject only.
 */
public final class PemCredential {

    private static final Pattern PKCS8 =
            Pattern.compile(
                    "-----BEGIN PRIVATE KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PRIVATE KEY-----");

    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private PemCredential(List<X509Certificate> chain, PrivateKey key) {
        this.chain = Collections.unmodifiableList(chain);
        this.key = key;
    }

    /**
     * Reads and checks a chain and its key.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static PemCredential load(Path chainFile, Path keyFile) {
        List<X509Certificate> chain = certificates(chainFile);
        PrivateKey key = privateKey(keyFile);
        if (!KeyMatch.matches(key, chain.get(0))) {
            throw new IllegalArgumentException(
                    "the key in " + keyFile + " is not the key of the certificate in " + chainFile);
        }
        return new PemCredential(chain, key);
    }

    /** The certificates of a PEM file, in file order; none is an error naming the file. */
    public static List<X509Certificate> certificates(Path file) {
        try {
            byte[] pem = Files.readAllBytes(file);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c :
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(new ByteArrayInputStream(pem))) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no PEM certificate");
            }
            return chain;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(
                    file + " holds no unencrypted PKCS#8 '-----BEGIN PRIVATE KEY-----' block");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm)
                        .generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next
            }
        }
        throw new IllegalArgumentException(file + " holds no RSA, EC or Ed25519 private key");
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** The private key, for the server's key manager only. */
    PrivateKey key() {
        return key;
    }

    /** Whether the leaf certificate is issued for {@code host} (RFC 6125 rules). */
    public boolean covers(String host) {
        return HostNameMatcher.match(host, chain.get(0)).isPresent();
    }

    @Override
    public String toString() {
        return "certificate " + chain.get(0).getSubjectX500Principal().getName();
    }
}
