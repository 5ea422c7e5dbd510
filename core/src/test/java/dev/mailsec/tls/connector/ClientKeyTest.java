package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientKeyTest {

    private static final ClientPki PKI = new ClientPki();

    @Test
    void aKeyWithItsCertificateShouldBeUsableAndNeverShowTheKey() throws Exception {
        ClientPki.Issued ours = PKI.client("CN=mailsec.test,O=Us");

        ClientKey key =
                ClientKey.of(
                        ours.keys.getPrivate(),
                        List.of(ours.certificate, PKI.ca),
                        3,
                        Instant.now());

        assertThat(key.version()).isEqualTo(3);
        assertThat(key.certificate()).isEqualTo(ours.certificate);
        assertThat(key.keyManagers()).isNotEmpty();
        String encoded = Base64.getEncoder().encodeToString(ours.keys.getPrivate().getEncoded());
        assertThat(key.toString())
                .contains("CN=mailsec.test", "O=Us", "key redacted")
                .doesNotContain(encoded.substring(0, 40));
    }

    @Test
    void theKeyOfAnotherCertificateShouldBeRefused() {
        ClientPki.Issued ours = PKI.client("CN=ours");
        ClientPki.Issued other = PKI.client("CN=other");

        assertThatThrownBy(
                        () ->
                                ClientKey.of(
                                        other.keys.getPrivate(),
                                        List.of(ours.certificate),
                                        1,
                                        Instant.now()))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessage(
                        "version 1 (CN=ours): the private key does not belong to the certificate");
    }

    @Test
    void anExpiredCertificateShouldBeRefused() {
        ClientPki.Issued old = PKI.expiredClient("CN=old");

        assertThatThrownBy(
                        () ->
                                ClientKey.of(
                                        old.keys.getPrivate(),
                                        List.of(old.certificate),
                                        2,
                                        Instant.now()))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessageStartingWith("version 2 (CN=old): the certificate expired on ");
    }

    @Test
    void aCertificateOnlyForServersShouldBeRefused() {
        ClientPki.Issued server = PKI.serverOnly("CN=server only");

        assertThatThrownBy(
                        () ->
                                ClientKey.of(
                                        server.keys.getPrivate(),
                                        List.of(server.certificate),
                                        1,
                                        Instant.now()))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessageContaining("does not allow TLS client authentication");
    }

    @Test
    void aKeyWithoutCertificateShouldBeRefused() {
        assertThatThrownBy(
                        () ->
                                ClientKey.of(
                                        ClientPki.rsa().getPrivate(), List.of(), 1, Instant.now()))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessageContaining("holds no certificate");
    }

    @Test
    void aCertificateShouldCountAsExpiredAfterItsEnd() throws Exception {
        ClientPki.Issued ours = PKI.client("CN=ours");
        ClientKey key =
                ClientKey.of(ours.keys.getPrivate(), List.of(ours.certificate), 1, Instant.now());

        assertThat(key.expiredAt(Instant.now())).isFalse();
        assertThat(key.expiredAt(ours.certificate.getNotAfter().toInstant().plusSeconds(1)))
                .isTrue();
    }
}
