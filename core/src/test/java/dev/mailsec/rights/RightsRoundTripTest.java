package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RightsRoundTripTest {
    @TempDir Path dir;
    RightsTestEnvironment env;

    @BeforeEach
    void setUp() throws Exception {
        env = RightsTestEnvironment.create(dir, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        env.close();
    }

    static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    @Test
    void openShouldReturnTheOriginalBytesExactlyForEveryParty() throws Exception {
        byte[] raw =
                RightsTestMessages.multipart(
                        "alice@mailsec.test", "carol@external.test", "m1@mailsec.test", "Hi");
        Protection p =
                env.protector()
                        .protect(
                                parse(raw),
                                "alice@mailsec.test",
                                List.of("carol@external.test"),
                                env.settings().template("do-not-forward"));
        OpenedMessage o =
                env.opener()
                        .open(
                                ProtectedPackage.decode(p.pkg().encode()),
                                "Carol@External.test",
                                Channel.CLI,
                                "test");
        assertThat(o.raw()).isEqualTo(raw);
        assertThat(o.licence().rights())
                .containsExactlyInAnyOrder(Right.VIEW, Right.REPLY, Right.REPLY_ALL);
        assertThat(o.message().getSubject()).isEqualTo("Hi");
        assertThat(
                        env.opener()
                                .openById(
                                        p.licence().licenceId(),
                                        "alice@mailsec.test",
                                        Channel.PORTAL,
                                        "127.0.0.1")
                                .raw())
                .isEqualTo(raw);
    }
}
