package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.shaded.bc.asn1.x509.KeyUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipientCertificatesTest {

    @TempDir Path dir;

    @Test
    void usableForShouldSkipExpiredFutureWrongUsageAndRevokedCertificatesAndPickTheNewestGoodOne()
            throws Exception {
        Path crl = dir.resolve("ca.crl");
        SmimeTestPki pki = new SmimeTestPki("Directory CA", crl.toUri().toString());
        SmimeTestPki.Spec expired = new SmimeTestPki.Spec();
        expired.notBefore = Instant.now().minus(Duration.ofDays(30));
        expired.notAfter = Instant.now().minus(Duration.ofDays(1));
        SmimeTestPki.Spec future = new SmimeTestPki.Spec();
        future.notBefore = Instant.now().plus(Duration.ofDays(1));
        SmimeTestPki.Spec signOnly = new SmimeTestPki.Spec();
        signOnly.keyUsage = KeyUsage.digitalSignature;
        SmimeTestPki.Spec noEmail = new SmimeTestPki.Spec();
        noEmail.emailProtection = false;
        SmimeTestPki.Spec older = new SmimeTestPki.Spec();
        older.notBefore = Instant.now().minus(Duration.ofDays(5));
        SmimeTestPki.Spec newest = new SmimeTestPki.Spec();
        newest.notBefore = Instant.now().minus(Duration.ofMinutes(5));

        SmimeKeyPair good = pki.user("bob@example.test", older);
        SmimeKeyPair revoked = pki.user("bob@example.test", newest);
        SmimeTestPki.writeCert(
                dir.resolve("1.pem"), pki.user("bob@example.test", expired).certificate());
        SmimeTestPki.writeCert(
                dir.resolve("2.pem"), pki.user("bob@example.test", future).certificate());
        SmimeTestPki.writeCert(
                dir.resolve("3.pem"), pki.user("bob@example.test", signOnly).certificate());
        Files.write(dir.resolve("4.der"), good.certificate().getEncoded());
        SmimeTestPki.writeCert(dir.resolve("5.crt"), revoked.certificate());
        Files.write(crl, pki.crl(revoked.certificate()).getEncoded());

        FolderCertificateDirectory folder = new FolderCertificateDirectory(dir);
        assertThat(folder.lookup("BOB@example.test")).hasSize(5);

        RecipientCertificates checked =
                new RecipientCertificates(
                        folder,
                        new ChainValidator(
                                TrustAnchors.of(List.of(pki.ca)),
                                new CachingCrlSource(),
                                Clock.systemUTC()),
                        Clock.systemUTC());
        assertThat(checked.usableFor("bob@example.test")).contains(good.certificate());
        assertThat(checked.problem(revoked.certificate())).contains("certificate revoked");
        assertThat(checked.usableFor("nobody@example.test")).isEmpty();

        RecipientCertificates unchecked =
                new RecipientCertificates(folder, null, Clock.systemUTC());
        assertThat(unchecked.usableFor("bob@example.test")).contains(revoked.certificate());
        assertThat(unchecked.problem(pki.user("bob@example.test", noEmail).certificate()))
                .contains("extended key usage does not allow e-mail protection");
        assertThat(
                        unchecked
                                .problem(pki.user("bob@example.test", expired).certificate())
                                .orElseThrow())
                .startsWith("expired on");
        assertThat(unchecked.problem(pki.user("bob@example.test", signOnly).certificate()))
                .contains("key usage does not allow key encipherment");
    }

    @Test
    void usableForShouldThrowWhenTheOnlyCandidateNeedsAnUnreachableCrl() throws Exception {
        SmimeTestPki pki =
                new SmimeTestPki("Unreachable", dir.resolve("nope.crl").toUri().toString());
        Path certs = Files.createDirectory(dir.resolve("certs"));
        SmimeTestPki.writeCert(
                certs.resolve("bob.pem"), pki.user("bob@example.test").certificate());
        RecipientCertificates checked =
                new RecipientCertificates(
                        new FolderCertificateDirectory(certs),
                        new ChainValidator(
                                TrustAnchors.of(List.of(pki.ca)),
                                new CachingCrlSource(),
                                Clock.systemUTC()),
                        Clock.systemUTC());
        assertThatThrownBy(() -> checked.usableFor("bob@example.test"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("CRL unavailable");
    }

    @Test
    void pemKeySourceShouldOrderKeyVersionsNewestFirst() throws Exception {
        SmimeTestPki pki = new SmimeTestPki("Keys CA");
        SmimeTestPki.Spec older = new SmimeTestPki.Spec();
        older.notBefore = Instant.now().minus(Duration.ofDays(5));
        SmimeKeyPair old = pki.user("bob@example.test", older);
        SmimeKeyPair current = pki.user("bob@example.test");
        SmimeKeyPair ec = pki.ecUser("carol@example.test");
        Path keys = Files.createDirectory(dir.resolve("keys"));
        SmimeTestPki.writeKey(keys.resolve("bob-2025.key"), old);
        SmimeTestPki.writeCert(keys.resolve("bob-2025.crt"), old.certificate());
        SmimeTestPki.writeKey(keys.resolve("bob-2026.key"), current);
        SmimeTestPki.writeCert(keys.resolve("bob-2026.pem"), current.certificate());
        SmimeTestPki.writeKey(keys.resolve("carol.key"), ec);
        SmimeTestPki.writeCert(keys.resolve("carol.crt"), ec.certificate());
        PemSmimeKeySource source = PemSmimeKeySource.fromFolder(keys);
        assertThat(source.keysFor("Bob@Example.test"))
                .extracting(SmimeKeyPair::id)
                .containsExactly("bob-2026", "bob-2025");
        assertThat(source.keysFor("carol@example.test")).hasSize(1);
        assertThat(source.keysFor("dave@example.test")).isEmpty();

        SmimeTestPki.writeCert(keys.resolve("mismatch.crt"), current.certificate());
        SmimeTestPki.writeKey(keys.resolve("mismatch.key"), old);
        assertThatThrownBy(() -> PemSmimeKeySource.fromFolder(keys))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong to the key");
        Files.delete(keys.resolve("mismatch.crt"));
        SmimeTestPki.writeCert(keys.resolve("mismatch.crt"), ec.certificate());
        SmimeTestPki.writeKey(keys.resolve("mismatch.key"), pki.ecUser("x@example.test"));
        assertThatThrownBy(() -> PemSmimeKeySource.fromFolder(keys))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong to the key");
    }

    @Test
    void aMatcherConditionWithTrustAnchorsChecksTheChainAndRevocationLikeEncryptSmime()
            throws Exception {
        Path crl = dir.resolve("ca.crl");
        SmimeTestPki pki = new SmimeTestPki("Condition CA", crl.toUri().toString());
        SmimeTestPki other = new SmimeTestPki("Other CA");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        SmimeKeyPair bob = pki.user("bob@example.test");
        SmimeKeyPair carol = pki.user("carol@example.test");
        SmimeTestPki.writeCert(certs.resolve("bob.pem"), bob.certificate());
        SmimeTestPki.writeCert(certs.resolve("carol.pem"), carol.certificate());
        SmimeTestPki.writeCert(
                certs.resolve("dave.pem"), other.user("dave@example.test").certificate());
        Files.write(crl, pki.crl(carol.certificate()).getEncoded());
        SmimeTestPki.writeCert(dir.resolve("ca.pem"), pki.ca);

        RecipientCertificates plain =
                SmimeSettings.recipientCertificatesFromCondition(
                        "HasRecipientCertificate", certs.toString());
        RecipientCertificates anchored =
                SmimeSettings.recipientCertificatesFromCondition(
                        "HasRecipientCertificate",
                        certs + " ; trustAnchors=" + dir.resolve("ca.pem"));
        for (String address :
                List.of("bob@example.test", "carol@example.test", "dave@example.test")) {
            assertThat(plain.usableFor(address)).as(address).isPresent();
        }
        assertThat(anchored.usableFor("bob@example.test")).contains(bob.certificate());
        assertThat(anchored.usableFor("carol@example.test")).as("revoked").isEmpty();
        assertThat(anchored.usableFor("dave@example.test")).as("another CA").isEmpty();

        assertThatThrownBy(
                        () ->
                                SmimeSettings.recipientCertificatesFromCondition(
                                        "HasRecipientCertificate",
                                        certs + "; trustAnchors=" + dir.resolve("missing.pem")))
                .hasMessageContaining("trustAnchors")
                .hasMessageContaining("missing.pem");
        assertThatThrownBy(
                        () ->
                                SmimeSettings.recipientCertificatesFromCondition(
                                        "HasRecipientCertificate", certs + "; bindDn=cn=x"))
                .hasMessageContaining("after the folder only '; trustAnchors=FILE'");
        assertThatThrownBy(
                        () ->
                                SmimeSettings.recipientCertificatesFromCondition(
                                        "HasRecipientCertificate", " "))
                .hasMessageStartingWith(
                        "HasRecipientCertificate: a certificate folder or an ldap:// URL is required");
    }
}
