package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both directions against openssl 3 ({@code openssl cms}): what we sign or encrypt, openssl
 * verifies or decrypts; what openssl produces, we verify or decrypt, byte for byte.
 */
class OpensslInteropTest {

    static SmimeTestPki pki;
    static SmimeKeyPair bobRsa;
    static SmimeKeyPair carolEc;
    static SmimeKeyPair aliceRsa;

    @TempDir static Path dir;

    @BeforeAll
    static void pki() {
        pki = new SmimeTestPki("Interop CA");
        aliceRsa = pki.user("alice@example.test");
        bobRsa = pki.user("bob@example.test");
        carolEc = pki.ecUser("carol@example.test");
        SmimeTestPki.writeCert(dir.resolve("ca.pem"), pki.ca);
        for (SmimeKeyPair k : List.of(aliceRsa, bobRsa, carolEc)) {
            String name = k.id().substring(0, k.id().indexOf('@'));
            SmimeTestPki.writeCert(dir.resolve(name + ".crt"), k.certificate());
            SmimeTestPki.writeKey(dir.resolve(name + ".key"), k);
        }
    }

    private static SmimeKeyPair key(String name) {
        return name.equals("alice") ? aliceRsa : name.equals("bob") ? bobRsa : carolEc;
    }

    @ParameterizedTest
    @CsvSource({
        "alice,RSA_SHA256,DETACHED",
        "alice,RSA_PSS_SHA256,DETACHED",
        "carol,ECDSA_SHA256,DETACHED",
        "alice,RSA_SHA512,OPAQUE",
        "carol,ECDSA_SHA384,OPAQUE"
    })
    void opensslVerifiesWhatWeSign(String signer, SignatureAlgorithm algorithm, SigningMode mode)
            throws Exception {
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        new SmimeSigner(mode, algorithm)
                .sign(new ByteArrayInputStream(TestMessages.withAttachment()), signed, key(signer));
        Path in =
                Files.write(
                        dir.resolve("signed-" + signer + algorithm + mode + ".eml"),
                        signed.toByteArray());
        Path content = dir.resolve("content-" + signer + algorithm + mode);
        // openssl's -binary mode keeps the delimiter's CR in a multipart/signed part (an openssl
        // quirk);
        // its default text mode canonicalises to CRLF, which our entity already is
        if (mode == SigningMode.OPAQUE) {
            Openssl.ok(
                    dir,
                    "openssl",
                    "cms",
                    "-verify",
                    "-binary",
                    "-in",
                    in.toString(),
                    "-CAfile",
                    "ca.pem",
                    "-purpose",
                    "smimesign",
                    "-out",
                    content.toString());
        } else {
            Openssl.ok(
                    dir,
                    "openssl",
                    "cms",
                    "-verify",
                    "-in",
                    in.toString(),
                    "-CAfile",
                    "ca.pem",
                    "-purpose",
                    "smimesign",
                    "-out",
                    content.toString());
        }
        assertThat(Files.readAllBytes(content)).isEqualTo(TestMessages.attachmentEntity());
        assertThat(new String(signed.toByteArray(), StandardCharsets.US_ASCII))
                .startsWith(TestMessages.OUTER);
    }

    @ParameterizedTest
    @CsvSource({
        "bob,RSA_PKCS1,AES256_CBC",
        "bob,RSA_OAEP,AES256_CBC",
        "bob,RSA_OAEP,AES256_GCM",
        "bob,RSA_PKCS1,AES256_GCM",
        "carol,ECDH,AES256_CBC",
        "carol,ECDH,AES256_GCM"
    })
    void opensslDecryptsWhatWeEncrypt(
            String recipient, KeyTransport transport, ContentEncryption encryption)
            throws Exception {
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        new SmimeEncryptor()
                .encrypt(
                        new ByteArrayInputStream(TestMessages.withAttachment()),
                        encrypted,
                        List.of(EncryptionRecipient.of(key(recipient).certificate(), transport)),
                        encryption);
        String text = new String(encrypted.toByteArray(), StandardCharsets.US_ASCII);
        assertThat(text)
                .startsWith(TestMessages.OUTER)
                .contains("smime-type=" + encryption.smimeType());
        Path in =
                Files.write(
                        dir.resolve("enc-" + recipient + transport + encryption + ".eml"),
                        encrypted.toByteArray());
        Path out = dir.resolve("dec-" + recipient + transport + encryption);
        Openssl.ok(
                dir,
                "openssl",
                "cms",
                "-decrypt",
                "-binary",
                "-in",
                in.toString(),
                "-recip",
                recipient + ".crt",
                "-inkey",
                recipient + ".key",
                "-out",
                out.toString());
        assertThat(Files.readAllBytes(out)).isEqualTo(TestMessages.attachmentEntity());
        Path asn1 = dir.resolve("asn1-" + recipient + transport + encryption);
        Openssl.ok(
                dir,
                "openssl",
                "cms",
                "-cmsout",
                "-print",
                "-in",
                in.toString(),
                "-out",
                asn1.toString());
        String structure = Files.readString(asn1);
        if (transport == KeyTransport.RSA_OAEP) {
            assertThat(structure).contains("rsaesOaep").contains("sha256");
        }
        assertThat(structure)
                .contains(
                        encryption == ContentEncryption.AES256_GCM ? "aes-256-gcm" : "aes-256-cbc");
    }

    @ParameterizedTest
    @CsvSource({
        "bob,-aes-256-cbc,,aes256-cbc,rsa-pkcs1",
        "bob,-aes-256-cbc,rsa_padding_mode:oaep,aes256-cbc,rsa-oaep",
        "bob,-aes-256-gcm,,aes256-gcm,rsa-pkcs1",
        "bob,-aes-256-gcm,rsa_padding_mode:oaep,aes256-gcm,rsa-oaep",
        "carol,-aes-256-cbc,,aes256-cbc,ecdh",
        "carol,-aes-256-gcm,,aes256-gcm,ecdh",
        "bob,-aes-128-cbc,,aes128-cbc,rsa-pkcs1"
    })
    void weDecryptWhatOpensslEncrypts(
            String recipient,
            String cipher,
            String keyopt,
            String expectedContent,
            String expectedTransport)
            throws Exception {
        Path entity = Files.write(dir.resolve("entity.mime"), TestMessages.attachmentEntity());
        Path enc = dir.resolve("openssl-enc-" + recipient + cipher + keyopt + ".eml");
        if (keyopt == null) {
            Openssl.ok(
                    dir,
                    "openssl",
                    "cms",
                    "-encrypt",
                    "-binary",
                    cipher,
                    "-in",
                    entity.toString(),
                    "-out",
                    enc.toString(),
                    "-recip",
                    recipient + ".crt");
        } else {
            Openssl.ok(
                    dir,
                    "openssl",
                    "cms",
                    "-encrypt",
                    "-binary",
                    cipher,
                    "-in",
                    entity.toString(),
                    "-out",
                    enc.toString(),
                    "-recip",
                    recipient + ".crt",
                    "-keyopt",
                    keyopt);
        }
        byte[] message =
                TestMessages.concat(
                        ("From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: s\r\n")
                                .getBytes(StandardCharsets.US_ASCII),
                        Files.readAllBytes(enc));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmimeKeyPair other = pki.user(recipient + "@example.test");
        DecryptionResult result =
                new SmimeDecryptor()
                        .decrypt(
                                new ByteArrayInputStream(message),
                                out,
                                List.of(other, key(recipient)));
        assertThat(result.contentAlgorithm()).isEqualTo(expectedContent);
        assertThat(result.keyTransport()).isEqualTo(expectedTransport);
        assertThat(result.keyId()).isEqualTo(key(recipient).id());
        String expectedHead =
                "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nSubject: s\r\nMIME-Version: 1.0\r\n";
        assertThat(out.toByteArray())
                .isEqualTo(
                        TestMessages.concat(
                                expectedHead.getBytes(StandardCharsets.US_ASCII),
                                TestMessages.attachmentEntity()));
    }

    @ParameterizedTest
    @CsvSource({
        "alice,sha256,false",
        "alice,sha512,true",
        "carol,sha256,false",
        "carol,sha384,true"
    })
    void weVerifyWhatOpensslSigns(String signer, String digest, boolean opaque) throws Exception {
        Path entity = Files.write(dir.resolve("entity-sign.mime"), TestMessages.attachmentEntity());
        Path signed = dir.resolve("openssl-signed-" + signer + digest + opaque + ".eml");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "openssl",
                                "cms",
                                "-sign",
                                "-md",
                                digest,
                                "-in",
                                entity.toString(),
                                "-out",
                                signed.toString(),
                                "-signer",
                                signer + ".crt",
                                "-inkey",
                                signer + ".key"));
        if (opaque) {
            cmd.add("-nodetach");
        }
        Openssl.ok(dir, cmd.toArray(new String[0]));
        byte[] message =
                TestMessages.concat(
                        ("From: "
                                        + signer
                                        + "@example.test\r\nTo: bob@example.test\r\nSubject: s\r\n")
                                .getBytes(StandardCharsets.US_ASCII),
                        Files.readAllBytes(signed));
        SmimeVerifier verifier =
                new SmimeVerifier(
                        TrustAnchors.load(dir.resolve("ca.pem")), null, Clock.systemUTC());
        ByteArrayOutputStream unwrapped = new ByteArrayOutputStream();
        SmimeVerification v = verifier.verify(message, unwrapped);
        assertThat(v.result()).as(v.reason()).isEqualTo(SmimeResult.PASS);
        assertThat(v.signerAddresses()).containsExactly(signer + "@example.test");
        assertThat(new String(unwrapped.toByteArray(), StandardCharsets.ISO_8859_1))
                .endsWith(new String(TestMessages.attachmentEntity(), StandardCharsets.ISO_8859_1));

        byte[] tampered =
                new String(message, StandardCharsets.ISO_8859_1)
                        .replace("preamble text", "preamble TEXT")
                        .getBytes(StandardCharsets.ISO_8859_1);
        if (!opaque) {
            assertThat(verifier.verify(tampered, null).result()).isEqualTo(SmimeResult.FAIL);
        }
    }

    @Test
    void opensslGcmOutputIsAuthEnvelopedData() throws Exception {
        Path entity = Files.write(dir.resolve("entity2.mime"), TestMessages.attachmentEntity());
        Path enc = dir.resolve("gcm.eml");
        Openssl.ok(
                dir,
                "openssl",
                "cms",
                "-encrypt",
                "-binary",
                "-aes-256-gcm",
                "-in",
                entity.toString(),
                "-out",
                enc.toString(),
                "-recip",
                "bob.crt");
        Path asn1 = dir.resolve("gcm.txt");
        Openssl.ok(
                dir,
                "openssl",
                "cms",
                "-cmsout",
                "-print",
                "-in",
                enc.toString(),
                "-out",
                asn1.toString());
        assertThat(Files.readString(asn1)).contains("contentType: id-smime-ct-authEnvelopedData");
    }
}
