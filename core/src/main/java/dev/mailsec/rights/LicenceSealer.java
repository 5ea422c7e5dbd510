package dev.mailsec.rights;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Seals a message for the {@link RightsProtector}: encrypts the complete original (JWE, A256GCMKW +
 * A256GCM under the DKM content key) and signs the use licence bound to that ciphertext (JWS ES256,
 * claim {@code cth}). Stateless.
 */
final class LicenceSealer {
    /** The licence's JOSE type. */
    static final JOSEObjectType LICENCE_TYPE = new JOSEObjectType("mailsec-licence+jwt");

    private LicenceSealer() {}

    /** base64url (no padding) SHA-256 of the JWE compact string: the licence's {@code cth}. */
    static String contentHash(String jweCompact) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(jweCompact.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** A sealed message: its use licence and the package that travels. */
    static final class Sealed {
        final UseLicence licence;
        final ProtectedPackage pkg;

        Sealed(UseLicence licence, ProtectedPackage pkg) {
            this.licence = licence;
            this.pkg = pkg;
        }
    }

    /**
     * Encrypts {@code raw} and signs its licence.
     *
     * @throws RightsKeyUnavailableException DKM cannot give the keys now
     */
    static Sealed seal(
            byte[] raw,
            RightsKeyring keys,
            String issuer,
            String jti,
            String mid,
            String from,
            List<String> recipients,
            RightsTemplate template,
            Instant now,
            Instant expires)
            throws RightsKeyUnavailableException {
        RightsKey<SecretKey> ck = keys.contentKey();
        RightsKey<ECPrivateKey> sk = keys.signingKey();
        String content;
        try {
            JWEHeader h =
                    new JWEHeader.Builder(JWEAlgorithm.A256GCMKW, EncryptionMethod.A256GCM)
                            .keyID(ck.kid())
                            .contentType("message/rfc822")
                            .customParam("lid", jti)
                            .customParam("mid", mid)
                            .build();
            JWEObject jwe = new JWEObject(h, new Payload(raw));
            jwe.encrypt(new AESEncrypter(ck.key()));
            content = jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(
                    "cannot encrypt with " + ck.kid() + ": " + e.getMessage(), e);
        }
        String cth = contentHash(content);
        JWTClaimsSet.Builder cb =
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .jwtID(jti)
                        .claim("mid", mid)
                        .subject(from)
                        .claim("rcpt", recipients)
                        .claim("tpl", template.name())
                        .claim("rights", Rights.tokenList(template.rights()))
                        .issueTime(Date.from(now))
                        .claim("cth", cth);
        if (expires != null) {
            cb.expirationTime(Date.from(expires));
        }
        String licence;
        try {
            SignedJWT jwt =
                    new SignedJWT(
                            new JWSHeader.Builder(JWSAlgorithm.ES256)
                                    .keyID(sk.kid())
                                    .type(LICENCE_TYPE)
                                    .build(),
                            cb.build());
            jwt.sign(new ECDSASigner(sk.key()));
            licence = jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(
                    "cannot sign with " + sk.kid() + ": " + e.getMessage(), e);
        }
        UseLicence ul =
                new UseLicence(
                        jti,
                        mid,
                        issuer,
                        from,
                        recipients,
                        template.name(),
                        template.rights(),
                        now,
                        expires,
                        cth,
                        sk.kid(),
                        licence);
        return new Sealed(ul, ProtectedPackage.ofTrusted(licence, content));
    }
}
