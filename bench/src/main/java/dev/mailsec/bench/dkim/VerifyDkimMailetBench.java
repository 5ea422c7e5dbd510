package dev.mailsec.bench.dkim;

import dev.mailsec.bench.Messages;
import dev.mailsec.mailets.dkim.VerifyDkim;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.mail.MessagingException;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the {@code VerifyDkim} mailet's work per mail as James 3.8.1 hands it a mail: a {@code
 * MimeMessageWrapper} over James's in-memory {@code MimeMessageInputStreamSource}, verified, its
 * Authentication-Results field added and saved, the result attributes set. {@code receiveOnly} is
 * the same message store and mail without the mailet (to subtract). Unsigned mail is judged from
 * its header section alone; signed mail (rsa-sha256, key from memory: the DNS cache hit case)
 * streams whole through the verifier.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerifyDkimMailetBench {

    /**
     * {@code unsigned}: the corpus message, which has no Content-Transfer-Encoding field (so saving
     * the header change makes JavaMail read the body to choose one); {@code unsigned-7bit}: the
     * same with {@code Content-Transfer-Encoding: 7bit}; {@code signed}: rsa-sha256-signed.
     */
    @Param({"unsigned", "unsigned-7bit", "signed"})
    public String kind;

    @Param({"50"})
    public int kb;

    private byte[] message;
    private VerifyDkim mailet;

    @Setup
    public void setUp() throws Exception {
        message =
                kind.equals("signed")
                        ? BenchCorpus.signed(kb, "rsa-sha256")
                        : kind.equals("unsigned-7bit")
                                ? new String(Messages.message(kb), StandardCharsets.US_ASCII)
                                        .replaceFirst(
                                                "\r\n\r\n",
                                                "\r\nContent-Transfer-Encoding: 7bit\r\n\r\n")
                                        .getBytes(StandardCharsets.US_ASCII)
                                : Messages.message(kb);
        mailet = new VerifyDkim(BenchCorpus.keys(), Clock.systemUTC());
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetName("VerifyDkim")
                        .setProperty("authservId", "mx.bench.test")
                        .build());
        Mail mail = mail();
        mailet.service(mail);
        String[] ar = mail.getMessage().getHeader("Authentication-Results");
        String expected = kind.equals("signed") ? "dkim=pass" : "dkim=none";
        if (ar == null || !ar[0].contains(expected)) {
            throw new IllegalStateException(
                    "expected " + expected + ", got " + String.join(",", ar));
        }
    }

    private Mail mail() throws MessagingException {
        MimeMessageWrapper m =
                new MimeMessageWrapper(
                        MimeMessageInputStreamSource.create(
                                "bench", new ByteArrayInputStream(message)));
        return FakeMail.builder().name("bench").mimeMessage(m).build();
    }

    @Benchmark
    public Mail verifyDkim() throws MessagingException {
        Mail mail = mail();
        mailet.service(mail);
        dispose(mail);
        return mail;
    }

    @Benchmark
    public Mail receiveOnly() throws MessagingException {
        Mail mail = mail();
        mail.getMessage().getHeader("Message-ID");
        dispose(mail);
        return mail;
    }

    private static void dispose(Mail mail) throws MessagingException {
        ((MimeMessageWrapper) mail.getMessage()).dispose();
    }
}
