package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM in and out for key pairs: PKCS#8 {@code PRIVATE KEY}, {@code PUBLIC KEY}, {@code
 * CERTIFICATE}.
 */
final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile(
                    "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final String[] ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448"};

    final PrivateKey privateKey;
    final PublicKey publicKey;
    final List<X509Certificate> chain;

    private Pem(PrivateKey privateKey, PublicKey publicKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.chain = chain;
    }

    static Pem parseKeyPair(byte[] input) {
        String text = new String(input, StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        byte[] pkcs8 = null;
        byte[] spki = null;
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                switch (m.group(1)) {
                    case "PRIVATE KEY":
                        pkcs8 = der;
                        break;
                    case "PUBLIC KEY":
                        spki = der;
                        break;
                    case "CERTIFICATE":
                        chain.add(
                                (X509Certificate)
                                        cf.generateCertificate(new ByteArrayInputStream(der)));
                        break;
                    case "RSA PRIVATE KEY":
                    case "EC PRIVATE KEY":
                        throw new UserException(
                                "stdin: "
                                        + m.group(1)
                                        + " is not PKCS#8; convert it with"
                                        + " 'openssl pkcs8 -topk8 -nocrypt'",
                                2);
                    default:
                        throw new UserException(
                                "stdin: unexpected PEM block '" + m.group(1) + "'", 2);
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new UserException(
                    "stdin: malformed PEM (" + e.getClass().getSimpleName() + ")", 2);
        }
        if (pkcs8 == null) {
            throw new UserException(
                    "stdin: a KEY_PAIR needs a PEM 'PRIVATE KEY' block (PKCS#8)", 2);
        }
        for (String alg : ALGORITHMS) {
            try {
                KeyFactory kf = KeyFactory.getInstance(alg);
                PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                PublicKey pub;
                if (!chain.isEmpty()) {
                    pub = chain.get(0).getPublicKey();
                } else if (spki != null) {
                    pub = kf.generatePublic(new X509EncodedKeySpec(spki));
                } else if (priv instanceof RSAPrivateCrtKey) {
                    RSAPrivateCrtKey crt = (RSAPrivateCrtKey) priv;
                    pub =
                            kf.generatePublic(
                                    new RSAPublicKeySpec(
                                            crt.getModulus(), crt.getPublicExponent()));
                } else {
                    throw new UserException(
                            "stdin: give the public key too (PEM 'PUBLIC KEY' or 'CERTIFICATE')",
                            2);
                }
                return new Pem(priv, pub, chain);
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new UserException("stdin: the private key is not RSA, EC or EdDSA", 2);
    }

    static String block(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }
}
