package dev.mailsec.it.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One message to send to the James under test over SMTP: how (in clear, STARTTLS, implicit TLS,
 * with a client certificate), which TLS protocols the client allows, and the message itself.
 */
public final class Delivery {

    /** How the client reaches the server. */
    public enum Mode {
        /** Plain SMTP on the STARTTLS-capable port, never issuing STARTTLS. */
        PLAIN,
        /** The same port, with STARTTLS required by the client. */
        STARTTLS,
        /** The implicit-TLS port (TLS from the first byte). */
        IMPLICIT_TLS,
        /**
         * STARTTLS on the extra port that requires a client certificate (see {@link
         * JamesExtension.Builder#withClientAuthServer()}); set the certificate with {@link
         * Delivery#clientCertificate(TestPki.Identity)}.
         */
        STARTTLS_CLIENT_AUTH
    }

    private final Mode mode;
    private String from = "sender@client.test";
    private final List<String> to = new ArrayList<>();
    private String subject = "mailsec integration test";
    private String body = "Hello from the mailsec integration tests.\r\n";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String[] protocols;
    private TestPki.Identity clientCertificate;

    private Delivery(Mode mode) {
        this.mode = mode;
    }

    public static Delivery plain() {
        return new Delivery(Mode.PLAIN);
    }

    public static Delivery startTls() {
        return new Delivery(Mode.STARTTLS);
    }

    public static Delivery implicitTls() {
        return new Delivery(Mode.IMPLICIT_TLS);
    }

    /**
     * STARTTLS to the client-certificate port without presenting a certificate (James 3.8.1 then
     * refuses the handshake: its {@code clientAuth} means "required").
     */
    public static Delivery startTlsToClientAuthPortWithoutCertificate() {
        return new Delivery(Mode.STARTTLS_CLIENT_AUTH);
    }

    /** STARTTLS to the client-certificate port, presenting {@code identity}. */
    public static Delivery startTlsWithClientCertificate(TestPki.Identity identity) {
        return new Delivery(Mode.STARTTLS_CLIENT_AUTH)
                .clientCertificate(Objects.requireNonNull(identity));
    }

    public Delivery from(String address) {
        this.from = Objects.requireNonNull(address);
        return this;
    }

    public Delivery to(String... addresses) {
        to.addAll(Arrays.asList(addresses));
        return this;
    }

    public Delivery subject(String subject) {
        this.subject = Objects.requireNonNull(subject);
        return this;
    }

    public Delivery body(String body) {
        this.body = Objects.requireNonNull(body);
        return this;
    }

    public Delivery header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Pins the protocols the client offers, e.g. {@code "TLSv1.2"} to force a TLS 1.2 session. */
    public Delivery protocols(String... protocols) {
        this.protocols = protocols.clone();
        return this;
    }

    public Delivery clientCertificate(TestPki.Identity identity) {
        this.clientCertificate = identity;
        return this;
    }

    Mode mode() {
        return mode;
    }

    String from() {
        return from;
    }

    List<String> to() {
        return to;
    }

    String subject() {
        return subject;
    }

    String body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }

    Optional<String[]> protocols() {
        return Optional.ofNullable(protocols);
    }

    Optional<TestPki.Identity> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }
}
