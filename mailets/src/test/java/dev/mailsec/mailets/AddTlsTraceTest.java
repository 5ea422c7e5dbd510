package dev.mailsec.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class AddTlsTraceTest {

    private static final AttributeName PROTOCOL = AttributeName.of("org.apache.james.ssl.protocol");
    private static final AttributeName CIPHER = AttributeName.of("org.apache.james.ssl.cipher");
    private static final AttributeName PEER_SUBJECT =
            AttributeName.of("dev.mailsec.tls.peer.subject");

    @Test
    void serviceShouldSayReceivedInClearWhenNoTlsFacts() throws Exception {
        Mail mail = mail();

        mailet().service(mail);

        assertThat(mail.getMessage().getHeader("X-Mailsec-TLS"))
                .containsExactly("none; received in clear");
    }

    @Test
    void serviceShouldRenderProtocolAndCipher() throws Exception {
        Mail mail =
                mail(
                        new Attribute(PROTOCOL, AttributeValue.of("TLSv1.3")),
                        new Attribute(CIPHER, AttributeValue.of("TLS_AES_256_GCM_SHA384")));

        mailet().service(mail);

        assertThat(mail.getMessage().getHeader("X-Mailsec-TLS"))
                .containsExactly("TLSv1.3; cipher=TLS_AES_256_GCM_SHA384");
    }

    @Test
    void serviceShouldRenderClientCertificateSubject() throws Exception {
        Mail mail =
                mail(
                        new Attribute(PROTOCOL, AttributeValue.of("TLSv1.2")),
                        new Attribute(
                                CIPHER, AttributeValue.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")),
                        new Attribute(
                                PEER_SUBJECT,
                                AttributeValue.of("CN=relay.partner.example,O=Partner")));

        mailet().service(mail);

        assertThat(MimeUtility.unfold(mail.getMessage().getHeader("X-Mailsec-TLS")[0]))
                .isEqualTo(
                        "TLSv1.2; cipher=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; client-certificate=\"CN=relay.partner.example,O=Partner\"");
    }

    @Test
    void serviceShouldReplaceHeaderForgedBySender() throws Exception {
        MimeMessage forged =
                MimeMessageBuilder.mimeMessageBuilder()
                        .addHeader("X-Mailsec-TLS", "TLSv1.3; cipher=TLS_AES_256_GCM_SHA384")
                        .setSubject("forged")
                        .setText("body")
                        .build();
        Mail mail =
                FakeMail.builder()
                        .name("m")
                        .mimeMessage(forged)
                        .recipient("bob@example.com")
                        .build();

        mailet().service(mail);

        assertThat(mail.getMessage().getHeader("X-Mailsec-TLS"))
                .containsExactly("none; received in clear");
    }

    @Test
    void serviceShouldUseConfiguredHeaderName() throws Exception {
        AddTlsTrace mailet = new AddTlsTrace();
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetName("AddTlsTrace")
                        .setProperty("headerName", "X-Tls")
                        .build());
        Mail mail = mail();

        mailet.service(mail);

        assertThat(mail.getMessage().getHeader("X-Tls")).containsExactly("none; received in clear");
        assertThat(mail.getMessage().getHeader("X-Mailsec-TLS")).isNull();
    }

    @Test
    void serviceShouldFoldLongTraceIntoValidHeaderLines() throws Exception {
        StringBuilder subject = new StringBuilder("CN=relay");
        for (int i = 0; i < 12; i++) {
            subject.append(",OU=unit number ").append(i);
        }
        Mail mail =
                mail(
                        new Attribute(PROTOCOL, AttributeValue.of("TLSv1.3")),
                        new Attribute(CIPHER, AttributeValue.of("TLS_AES_256_GCM_SHA384")),
                        new Attribute(PEER_SUBJECT, AttributeValue.of(subject.toString())));

        mailet().service(mail);

        String raw = mail.getMessage().getHeader("X-Mailsec-TLS")[0];
        for (String line : raw.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
        }
        assertThat(raw.replace("\r\n", "")).contains("OU=unit number 11");
    }

    @Test
    void initShouldRejectUnknownParameter() {
        assertThatThrownBy(
                        () ->
                                new AddTlsTrace()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .mailetName("AddTlsTrace")
                                                        .setProperty("header", "X-Tls")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("AddTlsTrace: unknown parameter 'header'; known: headerName");
    }

    @Test
    void initShouldRejectInvalidHeaderNameNamingParameterAndValue() {
        assertThatThrownBy(
                        () ->
                                new AddTlsTrace()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .mailetName("AddTlsTrace")
                                                        .setProperty("headerName", "X Tls:")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("headerName")
                .hasMessageContaining("'X Tls:'");
        assertThatThrownBy(
                        () ->
                                new AddTlsTrace()
                                        .init(
                                                FakeMailetConfig.builder()
                                                        .mailetName("AddTlsTrace")
                                                        .setProperty("headerName", "")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("headerName");
    }

    private static AddTlsTrace mailet() throws MessagingException {
        AddTlsTrace mailet = new AddTlsTrace();
        mailet.init(FakeMailetConfig.builder().mailetName("AddTlsTrace").build());
        return mailet;
    }

    private static Mail mail(Attribute... attributes) throws MessagingException {
        FakeMail.Builder builder =
                FakeMail.builder()
                        .name("m")
                        .recipient("bob@example.com")
                        .mimeMessage(
                                MimeMessageBuilder.mimeMessageBuilder()
                                        .setSubject("hello")
                                        .setText("body"));
        for (Attribute attribute : attributes) {
            builder.attribute(attribute);
        }
        return builder.build();
    }
}
