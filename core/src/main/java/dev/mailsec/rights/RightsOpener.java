package dev.mailsec.rights;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mailsec.metrics.Metrics;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

/**
 * Opens protected messages, the same way in every {@link Channel}: verifies the licence (ES256
 * signature by a rights signing key, issuer, {@code cth} over the ciphertext, {@code lid}/{@code
 * mid} in the JWE header), then refuses ({@link RightsDeniedException}: not a party, revoked,
 * expired, unknown) or decrypts. Every open and every refusal is written to the store's access log.
 * Thread-safe.
 */
public final class RightsOpener {
    private static final Pattern LICENCE_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final RightsSettings settings;
    private final RightsKeyring keys;
    private final RightsStore store;
    private final Clock clock;
    private final Session session = Session.getInstance(new Properties());

    public RightsOpener(
            RightsSettings settings, RightsKeyring keys, RightsStore store, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Verifies and opens a package for a reader.
     *
     * @param reader the reader's address (portal: the passcode-verified address; transport: the
     *     local recipient)
     * @param client IP address / user agent, host or process, for the access log (may be empty)
     * @throws RightsFormatException malformed package or licence
     * @throws RightsIntegrityException modified or foreign licence or ciphertext
     * @throws RightsDeniedException authentic, but not for this reader now (logged)
     * @throws RightsUnavailableException key store or rights store down (retry later)
     */
    public OpenedMessage open(ProtectedPackage pkg, String reader, Channel channel, String client)
            throws RightsException {
        Metrics metrics = Metrics.global();
        try {
            OpenedMessage opened = openLogged(pkg, reader, channel, client);
            metrics.rightsOpened();
            return opened;
        } catch (RightsDeniedException e) {
            metrics.rightsRefused(e.reason().name());
            throw e;
        } catch (RightsIntegrityException e) {
            metrics.rightsRefused("integrity");
            throw e;
        }
    }

    private OpenedMessage openLogged(
            ProtectedPackage pkg, String reader, Channel channel, String client)
            throws RightsException {
        UseLicence licence = verify(pkg);
        Instant now = clock.instant();
        String who = reader == null ? "" : Rights.address(reader);
        check(licence, who, channel, client, now);
        byte[] raw = decrypt(pkg, licence);
        MimeMessage message = parse(raw);
        store.log(
                new AccessEvent(
                        now,
                        licence.licenceId(),
                        who,
                        channel == Channel.TRANSPORT
                                ? EventType.TRANSPORT_DECRYPTED
                                : EventType.OPENED,
                        channel,
                        client,
                        raw.length + " bytes"));
        return new OpenedMessage(licence, raw, message);
    }

    MimeMessage parse(byte[] raw) throws RightsFormatException {
        try {
            return new MimeMessage(session, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new RightsFormatException(
                    "protected content is not a message: " + e.getMessage(), e);
        }
    }

    /** Opens the message the store holds under a licence id (the portal's way in). */
    public OpenedMessage openById(String licenceId, String reader, Channel channel, String client)
            throws RightsException {
        return open(packageById(licenceId), reader, channel, client);
    }

    /**
     * The verified licence of a package, without opening or logging anything (e.g. the portal's
     * landing page).
     *
     * @throws RightsFormatException malformed, or (as {@link RightsIntegrityException}) not
     *     authentic
     */
    public UseLicence verify(ProtectedPackage pkg) throws RightsException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(pkg.licence());
        } catch (ParseException e) {
            throw new RightsFormatException("licence: not a JWS: " + e.getMessage(), e);
        }
        JWSHeader h = jwt.getHeader();
        if (!JWSAlgorithm.ES256.equals(h.getAlgorithm())) {
            throw new RightsIntegrityException(
                    "licence: algorithm must be ES256, got " + h.getAlgorithm());
        }
        if (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty()) {
            throw new RightsFormatException(
                    "licence: unsupported critical header parameters " + h.getCriticalParams());
        }
        Optional<ECPublicKey> key =
                h.getKeyID() == null ? Optional.empty() : keys.verificationKey(h.getKeyID());
        if (!key.isPresent()) {
            throw new RightsIntegrityException(
                    "licence: signed by an unknown key '" + h.getKeyID() + "'");
        }
        try {
            if (!jwt.verify(new ECDSAVerifier(key.get()))) {
                throw new RightsIntegrityException(
                        "licence: signature does not verify with " + h.getKeyID());
            }
        } catch (JOSEException e) {
            throw new RightsIntegrityException(
                    "licence: signature does not verify with " + h.getKeyID(), e);
        }
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new RightsFormatException("licence: claims are not JSON", e);
        }
        if (!settings.issuer().equals(c.getIssuer())) {
            throw new RightsIntegrityException(
                    "licence: issued by '" + c.getIssuer() + "', not " + settings.issuer());
        }
        String cth = LicenceSealer.contentHash(pkg.content());
        String claimed = stringClaim(c, "cth");
        if (!MessageDigest.isEqual(
                cth.getBytes(StandardCharsets.US_ASCII),
                claimed.getBytes(StandardCharsets.US_ASCII))) {
            throw new RightsIntegrityException(
                    "licence: does not cover this content (cth differs)");
        }
        String jti = c.getJWTID();
        if (jti == null || !LICENCE_ID.matcher(jti).matches()) {
            throw new RightsFormatException("licence: jti missing or malformed");
        }
        if (c.getIssueTime() == null || c.getSubject() == null) {
            throw new RightsFormatException("licence: iat and sub are required");
        }
        List<String> rcpt = stringList(c, "rcpt");
        List<String> tokens = stringList(c, "rights");
        Set<Right> rights;
        try {
            rights = Rights.parseList(tokens);
        } catch (IllegalArgumentException e) {
            throw new RightsFormatException("licence: " + e.getMessage(), e);
        }
        return new UseLicence(
                jti,
                stringClaim(c, "mid"),
                c.getIssuer(),
                Rights.address(c.getSubject()),
                rcpt,
                stringClaim(c, "tpl"),
                rights,
                c.getIssueTime().toInstant(),
                c.getExpirationTime() == null ? null : c.getExpirationTime().toInstant(),
                cth,
                h.getKeyID(),
                pkg.licence());
    }

    /** The verified licence the store holds under a licence id. */
    public UseLicence verifyById(String licenceId) throws RightsException {
        return verify(packageById(licenceId));
    }

    ProtectedPackage packageById(String licenceId) throws RightsException {
        Optional<ProtectedPackage> pkg = store.packageOf(licenceId);
        if (!pkg.isPresent()) {
            throw new RightsDeniedException(
                    RightsDeniedException.Reason.UNKNOWN_MESSAGE,
                    null,
                    "no protected message with that licence id");
        }
        return pkg.get();
    }

    private void check(
            UseLicence licence, String reader, Channel channel, String client, Instant now)
            throws RightsException {
        RightsDeniedException.Reason reason = null;
        Optional<StoredMessage> stored = store.find(licence.licenceId());
        if (!stored.isPresent() || !stored.get().licenceId().equals(licence.licenceId())) {
            reason = RightsDeniedException.Reason.UNKNOWN_MESSAGE;
        } else if (!licence.isParty(reader)) {
            reason = RightsDeniedException.Reason.NOT_A_PARTY;
        } else if (stored.get().isRevoked()) {
            reason = RightsDeniedException.Reason.REVOKED;
        } else if (licence.isExpired(now)) {
            reason = RightsDeniedException.Reason.EXPIRED;
        }
        if (reason != null) {
            store.log(
                    new AccessEvent(
                            now,
                            licence.licenceId(),
                            reader,
                            EventType.OPEN_REFUSED,
                            channel,
                            client,
                            reason.name()));
            throw new RightsDeniedException(reason, licence.licenceId(), message(reason));
        }
    }

    private static String message(RightsDeniedException.Reason r) {
        switch (r) {
            case NOT_A_PARTY:
                return "refused: the reader is not a party of this message's licence";
            case REVOKED:
                return "refused: the message was revoked";
            case EXPIRED:
                return "refused: the message has expired";
            default:
                return "refused: the message is not known to this rights store";
        }
    }

    /** The original bytes, after the content checks; no state check, nothing logged. */
    byte[] decrypt(ProtectedPackage pkg, UseLicence licence) throws RightsException {
        JWEObject jwe;
        try {
            String[] parts = pkg.content().split("\\.", -1);
            if (parts.length != 5) {
                throw new ParseException("a compact JWE has five parts", 0);
            }
            // Nimbus's own base64url decoder is ~10x slower than the JDK's on a 1 MB ciphertext
            jwe =
                    new JWEObject(
                            new Base64URL(parts[0]),
                            new Base64URL(parts[1]),
                            new Base64URL(parts[2]),
                            new JdkBase64URL(parts[3]),
                            new Base64URL(parts[4]));
        } catch (ParseException e) {
            throw new RightsFormatException("content: not a JWE: " + e.getMessage(), e);
        }
        JWEHeader h = jwe.getHeader();
        if (!JWEAlgorithm.A256GCMKW.equals(h.getAlgorithm())
                || !EncryptionMethod.A256GCM.equals(h.getEncryptionMethod())
                || h.getCompressionAlgorithm() != null) {
            throw new RightsIntegrityException(
                    "content: must be A256GCMKW / A256GCM without compression");
        }
        if (!licence.licenceId().equals(h.getCustomParam("lid"))
                || !licence.messageId().equals(h.getCustomParam("mid"))) {
            throw new RightsIntegrityException("content: lid/mid do not match the licence");
        }
        Optional<SecretKey> key =
                h.getKeyID() == null ? Optional.empty() : keys.contentKey(h.getKeyID());
        if (!key.isPresent()) {
            throw new RightsIntegrityException(
                    "content: encrypted under an unknown key '" + h.getKeyID() + "'");
        }
        try {
            jwe.decrypt(new AESDecrypter(key.get()));
        } catch (JOSEException e) {
            throw new RightsIntegrityException(
                    "content: does not decrypt with "
                            + h.getKeyID()
                            + " (modified, or protected by another rights key)",
                    e);
        }
        return jwe.getPayload().toBytes();
    }

    /** Decodes with the JDK's (strict) base64url decoder; the value is the same as Nimbus's. */
    static final class JdkBase64URL extends Base64URL {
        private static final long serialVersionUID = 1L;

        JdkBase64URL(String base64url) {
            super(base64url);
        }

        @Override
        public byte[] decode() {
            try {
                return Base64.getUrlDecoder().decode(toString());
            } catch (IllegalArgumentException e) {
                return super.decode();
            }
        }
    }

    private static String stringClaim(JWTClaimsSet c, String name) throws RightsFormatException {
        Object o = c.getClaim(name);
        if (!(o instanceof String) || ((String) o).isEmpty()) {
            throw new RightsFormatException("licence: claim " + name + " missing or not a string");
        }
        return (String) o;
    }

    private static List<String> stringList(JWTClaimsSet c, String name)
            throws RightsFormatException {
        Object o = c.getClaim(name);
        if (!(o instanceof List)) {
            throw new RightsFormatException("licence: claim " + name + " missing or not a list");
        }
        List<String> out = new ArrayList<>();
        for (Object x : (List<?>) o) {
            if (!(x instanceof String)) {
                throw new RightsFormatException("licence: claim " + name + " must list strings");
            }
            out.add((String) x);
        }
        return out;
    }

    @Override
    public String toString() {
        return "RightsOpener[" + settings.issuer() + "]";
    }
}
