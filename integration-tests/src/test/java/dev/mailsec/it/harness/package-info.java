/**
 * The integration-test harness: a real, in-process Apache James 3.8.1 for tests of mailsec's
 * adapters.
 *
 * <p>Typical use, one server per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static JamesExtension james = JamesExtension.builder()
 *     .user("bob@mailsec.test", "secret")                  // domain mailsec.test is created
 *     .rootMailets("<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\"/>")
 *     .extraProcessors("<processor state=\"quarantine\">...</processor>")
 *     .supportedProtocols("TLSv1.2", "TLSv1.3")           // optional, every SMTP server
 *     .withClientAuthServer()                              // optional third SMTP port, client cert required
 *     .build();
 *
 * @Test
 * void example() throws Exception {
 *     james.send(Delivery.startTls().protocols("TLSv1.2").to("bob@mailsec.test").subject("hello"));
 *     MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "hello");   // over IMAP
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.mailsec.it.harness.JamesExtension}: builder and JUnit 5 lifecycle (start before
 *       all tests of the class, stop and delete the working directory after). {@code
 *       Builder.start(Path)} starts a server directly, for tests about start-up failures.
 *   <li>{@link dev.mailsec.it.harness.JamesHarness}: the running server: ports, {@code send},
 *       {@code awaitMessage}, the {@link dev.mailsec.it.harness.TestPki}.
 *   <li>{@link dev.mailsec.it.harness.Delivery}: what to send and how: {@code plain()}, {@code
 *       startTls()}, {@code implicitTls()}, {@code startTlsWithClientCertificate(identity)}, {@code
 *       protocols(...)}.
 *   <li>{@link dev.mailsec.it.harness.TestPki}: a CA, the server certificate ({@code localhost},
 *       {@code 127.0.0.1}) and client certificates made for the run (ECDSA P-256).
 *   <li>{@link dev.mailsec.it.harness.ExposeTlsAttributes}: a test-only mailet that copies the TLS
 *       attributes into headers, so tests can assert on them over IMAP.
 * </ul>
 *
 * <p>What James gets (written by {@code JamesConfiguration} into {@code <working dir>/conf}): SMTP
 * on 127.0.0.1 with STARTTLS offered, SMTP with implicit TLS, optionally SMTP with STARTTLS and a
 * required client certificate, IMAP with plain login, all on free ports read back after start; the
 * {@code dev.mailsec.smtp.RecordTlsFacts} hook in every SMTP handler chain (replace it with {@code
 * recordTlsFactsHandler(xml)}, add more with {@code extraSmtpHandlers(xml)}); a minimal mailet
 * pipeline root, then transport, then local delivery (replace it whole with {@code
 * mailetContainer(xml)}; its {@code transport} processor must keep {@code RemoveMimeHeader} for
 * {@code bcc}); 127.0.0.0/8 as authorized addresses, no JMX, no WebAdmin, {@code gracefulShutdown}
 * false. Start-up takes 2-5 s. The parent pom sets {@code james.exit.on.startup.error=false} for
 * surefire, without which a bad configuration would end the test JVM.
 */
package dev.mailsec.it.harness;
