package dev.mailsec.bench.dkim;

import dev.mailsec.bench.Messages;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The DKIM benchmark corpus: {@link Messages} signed relaxed/relaxed with rsa-sha256 (2048-bit) or
 * ed25519-sha256, and the key records to verify them. The signer here exists only to build the
 * corpus (signing is the key manager's job); the peers in {@link DkimPeers} verify the same files.
 */
public final class BenchCorpus {

    public static final String DOMAIN = "mailsec.test";
    private static final KeyPair RSA = rsa();
    private static final Ed25519PrivateKeyParameters ED =
            new Ed25519PrivateKeyParameters(new SecureRandom());

    private BenchCorpus() {}

    /** rsa (selector {@code rsa}) or ed25519 (selector {@code ed}). */
    public static byte[] signed(int kb, String algorithm) {
        return sign(Messages.message(kb), algorithm);
    }

    /** The TXT records, by DNS name. */
    public static Map<String, String> records() {
        return Map.of(
                "rsa._domainkey." + DOMAIN,
                        "v=DKIM1; k=rsa; p="
                                + Base64.getEncoder().encodeToString(RSA.getPublic().getEncoded()),
                "ed._domainkey." + DOMAIN,
                        "v=DKIM1; k=ed25519; p="
                                + Base64.getEncoder()
                                        .encodeToString(ED.generatePublicKey().getEncoded()));
    }

    /** An in-memory key source (the DNS cache hit case). */
    public static KeyRecordSource keys() {
        Map<String, String> r = records();
        return name ->
                r.containsKey(name)
                        ? KeyLookup.found(List.of(r.get(name)))
                        : KeyLookup.notFound("NXDOMAIN");
    }

    public static KeyPair rsaKeyPair() {
        return RSA;
    }

    public static Ed25519PrivateKeyParameters ed25519Key() {
        return ED;
    }

    static byte[] sign(byte[] message, String algorithm) {
        try {
            boolean ed = algorithm.startsWith("ed25519");
            String m = new String(message, StandardCharsets.ISO_8859_1);
            int split = m.indexOf("\r\n\r\n");
            byte[] head = m.substring(0, split + 2).getBytes(StandardCharsets.ISO_8859_1);
            byte[] body = m.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1);
            BodyHasher bh =
                    BodyHasher.create(
                            Canonicalization.RELAXED, MessageDigest.getInstance("SHA-256"), -1);
            bh.update(body, 0, body.length);
            String field =
                    "DKIM-Signature: v=1; a="
                            + (ed ? "ed25519-sha256" : "rsa-sha256")
                            + "; c=relaxed/relaxed;\r\n"
                            + "\td="
                            + DOMAIN
                            + "; s="
                            + (ed ? "ed" : "rsa")
                            + "; t=1795435200;\r\n"
                            + "\th=from:to:subject:date:message-id:mime-version:content-type;\r\n"
                            + "\tbh="
                            + Base64.getEncoder().encodeToString(bh.finish())
                            + ";\r\n\tb=";
            HeaderSection section = HeaderSection.parse(head, head.length, 1000);
            byte[] data =
                    new HeaderHashInput(section.fields())
                            .data(
                                    List.of(
                                            "from",
                                            "to",
                                            "subject",
                                            "date",
                                            "message-id",
                                            "mime-version",
                                            "content-type"),
                                    field + "\r\n",
                                    "DKIM-Signature".length(),
                                    Canonicalization.RELAXED);
            byte[] sig;
            if (ed) {
                Ed25519Signer s = new Ed25519Signer();
                s.init(true, ED);
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(data);
                s.update(hash, 0, hash.length);
                sig = s.generateSignature();
            } else {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(RSA.getPrivate());
                s.update(data);
                sig = s.sign();
            }
            String b64 = Base64.getEncoder().encodeToString(sig);
            StringBuilder folded = new StringBuilder();
            for (int i = 0; i < b64.length(); i += 70) {
                folded.append(i == 0 ? "" : "\r\n\t ")
                        .append(b64, i, Math.min(b64.length(), i + 70));
            }
            return (field + folded + "\r\n" + m).getBytes(StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign the benchmark corpus", e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
