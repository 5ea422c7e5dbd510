package dev.mailsec.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class RecordTlsFactsTest {

    private static final String HANDLER =
            "<handler class=\"dev.mailsec.smtp.RecordTlsFacts\">%s</handler>";

    @Test
    void onMessageShouldRecordProtocolAndCipherUnderJames39Names() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        HookResult result =
                hook("").onMessage(
                                smtpSession(
                                        Optional.of(
                                                sslSession("TLSv1.3", "TLS_AES_256_GCM_SHA384"))),
                                mail);

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mail.getAttribute(RecordTlsFacts.PROTOCOL).map(Attribute::getValue))
                .contains(AttributeValue.of("TLSv1.3"));
        assertThat(mail.getAttribute(RecordTlsFacts.PROTOCOL).get().getName().asString())
                .isEqualTo("org.apache.james.ssl.protocol");
        assertThat(mail.getAttribute(RecordTlsFacts.CIPHER).map(Attribute::getValue))
                .contains(AttributeValue.of("TLS_AES_256_GCM_SHA384"));
        assertThat(mail.getAttribute(RecordTlsFacts.CIPHER).get().getName().asString())
                .isEqualTo("org.apache.james.ssl.cipher");
        assertThat(mail.getAttribute(RecordTlsFacts.PEER_SUBJECT)).isEmpty();
        assertThat(mail.getAttribute(RecordTlsFacts.PEER_SUBJECT_ALT_NAMES)).isEmpty();
    }

    @Test
    void onMessageShouldRecordNothingForPlainSession() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        HookResult result = hook("").onMessage(smtpSession(Optional.empty()), mail);

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mail.attributeNames()).isEmpty();
    }

    @Test
    void onMessageShouldRecordClientCertificateSubjectAndAltNames() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        hook("").onMessage(
                        smtpSession(
                                Optional.of(
                                        sslSession(
                                                "TLSv1.2",
                                                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                                clientCertificate()))),
                        mail);

        assertThat(mail.getAttribute(RecordTlsFacts.PEER_SUBJECT).map(Attribute::getValue))
                .contains(AttributeValue.of("C=DE,O=Partner\\, Inc.,CN=relay.partner.example"));
        assertThat(mail.getAttribute(RecordTlsFacts.PEER_SUBJECT).get().getName().asString())
                .isEqualTo("dev.mailsec.tls.peer.subject");
        assertThat(
                        mail.getAttribute(RecordTlsFacts.PEER_SUBJECT_ALT_NAMES)
                                .get()
                                .getName()
                                .asString())
                .isEqualTo("dev.mailsec.tls.peer.subjectAltNames");
        assertThat(
                        (Iterable<Object>)
                                (Object)
                                        mail.getAttribute(RecordTlsFacts.PEER_SUBJECT_ALT_NAMES)
                                                .get()
                                                .getValue()
                                                .value())
                .containsExactly(
                        AttributeValue.of("DNS:relay.partner.example"),
                        AttributeValue.of("EMAIL:postmaster@partner.example"),
                        AttributeValue.of("IP:192.0.2.7"),
                        AttributeValue.of("URI:https://partner.example/"));
    }

    @Test
    void onMessageShouldNotRecordClientCertificateWhenDisabled() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        hook("<recordPeerCertificate>false</recordPeerCertificate>")
                .onMessage(
                        smtpSession(
                                Optional.of(
                                        sslSession(
                                                "TLSv1.2",
                                                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                                                clientCertificate()))),
                        mail);

        assertThat(mail.getAttribute(RecordTlsFacts.PROTOCOL)).isPresent();
        assertThat(mail.getAttribute(RecordTlsFacts.PEER_SUBJECT)).isEmpty();
        assertThat(mail.getAttribute(RecordTlsFacts.PEER_SUBJECT_ALT_NAMES)).isEmpty();
    }

    @Test
    void initShouldReadNoAsFalseAsEveryParameterOfThePackDoes() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        hook("<recordPeerCertificate>no</recordPeerCertificate>")
                .onMessage(
                        smtpSession(Optional.of(sslSession("TLSv1.2", "X", clientCertificate()))),
                        mail);

        assertThat(mail.getAttribute(RecordTlsFacts.PROTOCOL)).isPresent();
        assertThat(mail.getAttribute(RecordTlsFacts.PEER_SUBJECT)).isEmpty();
    }

    @Test
    void initShouldAcceptTrueWithBlanksAndAnyCase() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        hook("<recordPeerCertificate> TRUE </recordPeerCertificate>")
                .onMessage(
                        smtpSession(Optional.of(sslSession("TLSv1.2", "X", clientCertificate()))),
                        mail);

        assertThat(mail.getAttribute(RecordTlsFacts.PEER_SUBJECT)).isPresent();
    }

    @Test
    void initShouldRejectBadValueNamingParameterAndValue() {
        assertThatThrownBy(() -> hook("<recordPeerCertificate>maybe</recordPeerCertificate>"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("RecordTlsFacts")
                .hasMessageContaining("recordPeerCertificate")
                .hasMessageContaining("'maybe'");
    }

    @Test
    void initShouldRejectEmptyValue() {
        assertThatThrownBy(() -> hook("<recordPeerCertificate/>"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("recordPeerCertificate: must be true or false, got ''");
    }

    @Test
    void initShouldRejectRepeatedParameter() {
        assertThatThrownBy(
                        () ->
                                hook(
                                        "<recordPeerCertificate>true</recordPeerCertificate>"
                                                + "<recordPeerCertificate>false</recordPeerCertificate>"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("recordPeerCertificate is given 2 times");
    }

    @Test
    void initShouldRejectUnknownChildElement() {
        assertThatThrownBy(() -> hook("<recordPeerCert>true</recordPeerCert>"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("RecordTlsFacts")
                .hasMessageContaining("unknown parameter 'recordPeerCert'");
    }

    @Test
    void initShouldRejectUnknownAttribute() {
        assertThatThrownBy(
                        () -> {
                            RecordTlsFacts hook = new RecordTlsFacts();
                            hook.init(
                                    xml(
                                            "<handler class=\"dev.mailsec.smtp.RecordTlsFacts\" record=\"no\"/>"));
                        })
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter '[@record]'");
    }

    private static RecordTlsFacts hook(String children) throws ConfigurationException {
        RecordTlsFacts hook = new RecordTlsFacts();
        hook.init(xml(String.format(HANDLER, children)));
        return hook;
    }

    private static XMLConfiguration xml(String xml) throws ConfigurationException {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new StringReader(xml));
        return configuration;
    }

    private static Certificate clientCertificate() throws Exception {
        try (InputStream in =
                RecordTlsFactsTest.class.getResourceAsStream("client-with-sans.pem")) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Only what the hook reads is answered; any other call fails the test. */
    private static SMTPSession smtpSession(Optional<SSLSession> sslSession) {
        return (SMTPSession)
                Proxy.newProxyInstance(
                        RecordTlsFactsTest.class.getClassLoader(),
                        new Class<?>[] {SMTPSession.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("getSSLSession")) {
                                return sslSession;
                            }
                            throw new AssertionError("unexpected call " + method);
                        });
    }

    private static SSLSession sslSession(String protocol, String cipher, Certificate... peer) {
        return (SSLSession)
                Proxy.newProxyInstance(
                        RecordTlsFactsTest.class.getClassLoader(),
                        new Class<?>[] {SSLSession.class},
                        (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "getProtocol":
                                    return protocol;
                                case "getCipherSuite":
                                    return cipher;
                                case "getPeerCertificates":
                                    if (peer.length == 0) {
                                        throw new SSLPeerUnverifiedException(
                                                "peer not authenticated");
                                    }
                                    return peer.clone();
                                default:
                                    throw new AssertionError("unexpected call " + method);
                            }
                        });
    }
}
