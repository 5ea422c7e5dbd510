package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.asn1.pkcs.PrivateKeyInfo;
import dev.mailsec.shaded.bc.asn1.x509.SubjectPublicKeyInfo;
import dev.mailsec.shaded.bc.asn1.x9.ECNamedCurveTable;
import dev.mailsec.shaded.bc.asn1.x9.X9ECParameters;
import dev.mailsec.shaded.bc.openssl.PEMKeyPair;
import dev.mailsec.shaded.bc.openssl.PEMParser;
import dev.mailsec.shaded.bc.openssl.jcajce.JcaPEMKeyConverter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keys from PEM files: each key file (PKCS#8 or traditional RSA/EC, unencrypted) paired with the
 * certificate file that holds its certificate (and optionally the chain). The addresses come from
 * the certificates; for each address the key whose certificate was issued last is the current one,
 * the others are archived versions kept for decryption.
 */
public final class PemSmimeKeySource implements SmimeKeySource {

    private final Map<String, List<SmimeKeyPair>> byAddress;

    private PemSmimeKeySource(Map<String, List<SmimeKeyPair>> byAddress) {
        this.byAddress = byAddress;
    }

    /** Pairs each {@code NAME.key} in the folder with {@code NAME.crt} or {@code NAME.pem}. */
    public static PemSmimeKeySource fromFolder(Path folder) throws IOException {
        List<SmimeKeyPair> pairs = new ArrayList<>();
        try (DirectoryStream<Path> keys = Files.newDirectoryStream(folder, "*.key")) {
            for (Path key : keys) {
                String base = key.getFileName().toString();
                base = base.substring(0, base.length() - ".key".length());
                Path cert = folder.resolve(base + ".crt");
                if (!Files.exists(cert)) {
                    cert = folder.resolve(base + ".pem");
                }
                if (!Files.exists(cert)) {
                    throw new IOException(
                            "key file "
                                    + key
                                    + " has no certificate file "
                                    + base
                                    + ".crt or .pem");
                }
                pairs.add(load(base, key, cert));
            }
        }
        return of(pairs);
    }

    public static PemSmimeKeySource of(Collection<SmimeKeyPair> pairs) {
        Map<String, List<SmimeKeyPair>> byAddress = new HashMap<>();
        for (SmimeKeyPair pair : pairs) {
            for (String address : CertificateAddresses.of(pair.certificate())) {
                byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(pair);
            }
        }
        Map<String, List<SmimeKeyPair>> sorted = new HashMap<>();
        byAddress.forEach(
                (address, list) -> {
                    list.sort(
                            Comparator.comparing((SmimeKeyPair p) -> p.certificate().getNotBefore())
                                    .reversed());
                    sorted.put(address, List.copyOf(list));
                });
        return new PemSmimeKeySource(Map.copyOf(sorted));
    }

    /** Loads one key file and its certificate file (certificate first, then the chain). */
    public static SmimeKeyPair load(String id, Path keyFile, Path certificateFile)
            throws IOException {
        PrivateKey key = readPrivateKey(keyFile);
        List<X509Certificate> certs = readCertificates(certificateFile);
        if (certs.isEmpty()) {
            throw new IOException("no certificate in " + certificateFile);
        }
        X509Certificate leaf = certs.get(0);
        if (!sameKey(leaf.getPublicKey(), key, keyFile)) {
            throw new IOException(
                    "the certificate in "
                            + certificateFile
                            + " does not belong to the key in "
                            + keyFile);
        }
        return new SmimeKeyPair(id, key, leaf, certs.subList(1, certs.size()));
    }

    private static boolean sameKey(PublicKey publicKey, PrivateKey privateKey, Path keyFile)
            throws IOException {
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())
                && !(publicKey.getAlgorithm().startsWith("RSA")
                        && privateKey.getAlgorithm().startsWith("RSA"))) {
            return false;
        }
        if (privateKey instanceof RSAPrivateCrtKey) {
            return ((RSAPrivateCrtKey) privateKey)
                    .getModulus()
                    .equals(((RSAPublicKey) publicKey).getModulus());
        }
        if (privateKey instanceof ECPrivateKey) {
            ECPrivateKey ec = (ECPrivateKey) privateKey;
            ECPoint expected = ((ECPublicKey) publicKey).getW();
            BigInteger s = ec.getS();
            X9ECParameters x9 = ECNamedCurveTable.getByOID(curveOid(publicKey));
            if (x9 == null) {
                throw new IOException("unsupported EC curve in " + keyFile);
            }
            dev.mailsec.shaded.bc.math.ec.ECPoint q = x9.getG().multiply(s).normalize();
            return q.getAffineXCoord().toBigInteger().equals(expected.getAffineX())
                    && q.getAffineYCoord().toBigInteger().equals(expected.getAffineY());
        }
        return true;
    }

    private static ASN1ObjectIdentifier curveOid(PublicKey publicKey) {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        return ASN1ObjectIdentifier.getInstance(info.getAlgorithm().getParameters());
    }

    public static PrivateKey readPrivateKey(Path keyFile) throws IOException {
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair) {
                return converter.getPrivateKey(((PEMKeyPair) object).getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo) {
                return converter.getPrivateKey((PrivateKeyInfo) object);
            }
            // the file name is safe to show; the content is not
            throw new IOException("no unencrypted PEM private key in " + keyFile);
        }
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> result = new ArrayList<>();
            for (Certificate c : certs) {
                result.add((X509Certificate) c);
            }
            return result;
        } catch (CertificateException e) {
            throw new IOException(
                    "cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<SmimeKeyPair> keysFor(String address) {
        return byAddress.getOrDefault(address.trim().toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String toString() {
        return "PemSmimeKeySource" + Arrays.toString(byAddress.keySet().toArray());
    }
}
