package dev.mailsec.dkim;

import dev.mailsec.dkim.internal.BodyHasher;
import dev.mailsec.dkim.internal.Canonicalization;
import dev.mailsec.dkim.internal.HeaderHashInput;
import dev.mailsec.dkim.internal.HeaderSection;
import dev.mailsec.shaded.bc.crypto.params.Ed25519PrivateKeyParameters;
import dev.mailsec.shaded.bc.crypto.signers.Ed25519Signer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Signs test messages with chosen tags, so unit tests can build signatures that are valid except
 * for the one property under test. Interoperability is proven by DkimPeerCorpusTest, not by this
 * class.
 */
final class TestSigner {

    static final KeyPair RSA_2048 = rsa(2048);
    static final Ed25519PrivateKeyParameters ED25519 =
            new Ed25519PrivateKeyParameters(new SecureRandom());

    static final String MESSAGE =
            "From: Alice <alice@example.com>\r\n"
                    + "To: bob@example.org\r\n"
                    + "Subject: hello\r\n"
                    + "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                    + "\r\n"
                    + "Hello Bob,\r\n\r\nsee you.\r\n";

    private TestSigner() {}

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String rsaRecord(KeyPair kp) {
        return "v=DKIM1; k=rsa; p="
                + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
    }

    static String ed25519Record() {
        return "v=DKIM1; k=ed25519; p="
                + Base64.getEncoder().encodeToString(ED25519.generatePublicKey().getEncoded());
    }

    /** Default tags: rsa-sha256 relaxed/relaxed, d=example.com, s=sel, h=from:to:subject:date. */
    static Map<String, String> tags() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("v", "1");
        t.put("a", "rsa-sha256");
        t.put("c", "relaxed/relaxed");
        t.put("d", "example.com");
        t.put("s", "sel");
        t.put("h", "from:to:subject:date");
        return t;
    }

    static String signRsa(String message, Map<String, String> tags) {
        return sign(message, tags, RSA_2048, null);
    }

    static String signEd25519(String message, Map<String, String> tags) {
        tags.put("a", "ed25519-sha256");
        return sign(message, tags, null, ED25519);
    }

    static String sign(
            String message, Map<String, String> tags, KeyPair rsa, Ed25519PrivateKeyParameters ed) {
        try {
            String c = tags.getOrDefault("c", "simple/simple");
            Canonicalization hc =
                    c.startsWith("relaxed") ? Canonicalization.RELAXED : Canonicalization.SIMPLE;
            Canonicalization bc =
                    c.endsWith("/relaxed") ? Canonicalization.RELAXED : Canonicalization.SIMPLE;
            int split = message.indexOf("\r\n\r\n");
            byte[] headerBytes =
                    message.substring(0, split + 2).getBytes(StandardCharsets.ISO_8859_1);
            byte[] body = message.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1);
            String alg = tags.get("a");
            String digestName = alg.endsWith("sha1") ? "SHA-1" : "SHA-256";
            long l =
                    tags.getOrDefault("l", "").matches("\\d{1,18}")
                            ? Long.parseLong(tags.get("l"))
                            : -1;
            BodyHasher bh = BodyHasher.create(bc, MessageDigest.getInstance(digestName), l);
            bh.update(body, 0, body.length);
            StringBuilder field = new StringBuilder("DKIM-Signature: ");
            for (Map.Entry<String, String> e : tags.entrySet()) {
                field.append(e.getKey()).append('=').append(e.getValue()).append("; ");
            }
            if (!tags.containsKey("bh")) {
                field.append("bh=")
                        .append(Base64.getEncoder().encodeToString(bh.finish()))
                        .append("; ");
            }
            field.append("b=");
            String raw = field + "\r\n";
            HeaderSection section = HeaderSection.parse(headerBytes, headerBytes.length, 10_000);
            List<String> h = Arrays.asList(tags.get("h").toLowerCase(Locale.ROOT).split(":"));
            byte[] data =
                    new HeaderHashInput(section.fields())
                            .data(h, raw, "DKIM-Signature".length(), hc);
            byte[] sig;
            if (ed != null) {
                Ed25519Signer s = new Ed25519Signer();
                s.init(true, ed);
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(data);
                s.update(hash, 0, hash.length);
                sig = s.generateSignature();
            } else {
                Signature s =
                        Signature.getInstance(
                                alg.endsWith("sha1") ? "SHA1withRSA" : "SHA256withRSA");
                s.initSign(rsa.getPrivate());
                s.update(data);
                sig = s.sign();
            }
            return field + Base64.getEncoder().encodeToString(sig) + "\r\n" + message;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key source holding the given records (name to TXT); other names are NXDOMAIN. */
    static KeyRecordSource keys(Map<String, String> records) {
        return name ->
                records.containsKey(name)
                        ? KeyLookup.found(List.of(records.get(name)))
                        : KeyLookup.notFound("NXDOMAIN");
    }

    static KeyRecordSource defaultKeys() {
        return keys(
                Map.of(
                        "sel._domainkey.example.com",
                        rsaRecord(RSA_2048),
                        "ed._domainkey.example.com",
                        ed25519Record()));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
