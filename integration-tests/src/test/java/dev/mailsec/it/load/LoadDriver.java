package dev.mailsec.it.load;

import dev.mailsec.dkim.DkimSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * Mixed SMTP traffic into one James at a target rate over N connections, every mail tagged with a
 * unique Message-ID ({@code <RUN-N@load.mailsec>}, which the pack's rights wrapper keeps), for
 * {@link MailCount} to count out afterwards.
 *
 * <p>The mix, by sequence number: sizes 2 KB (70%), 50 KB (25%), 1 MB (5%); half the connections
 * use STARTTLS, half stay in clear; kinds: local mail from outside (40%, one in eight with a second
 * local recipient), DKIM-signed mail from a domain that always signs (5%, delivered only with
 * {@code dkim=pass}), local {@code [encrypt]} mail between users (15%), outbound to a remote domain
 * (25%, must leave DKIM-signed), outbound {@code [encrypt]} (15%, must leave signed and protected:
 * its body marker {@code SECRET-ID} never in clear). Recipients cycle over many mailboxes: one
 * large INBOX slows James's memory mailbox for every delivery.
 */
public final class LoadDriver {

    /** What one run sends to. */
    public static final class Traffic {
        /** Local users mail is delivered to. */
        public final List<String> localRecipients;

        /** Local users (senders of outbound and protected mail). */
        public final List<String> localSenders;

        /** Addresses at remote domains (relayed to the sink). */
        public final List<String> remoteRecipients;

        /** A sender outside (for inbound mail). */
        public final String outsideSender;

        /** A sender of a domain that always signs (the sample's bank.test), and its signer. */
        public final String signingSender;

        public final DkimSigner signer;

        public Traffic(
                List<String> localRecipients,
                List<String> localSenders,
                List<String> remoteRecipients,
                String outsideSender,
                String signingSender,
                DkimSigner signer) {
            this.localRecipients = List.copyOf(localRecipients);
            this.localSenders = List.copyOf(localSenders);
            this.remoteRecipients = List.copyOf(remoteRecipients);
            this.outsideSender = outsideSender;
            this.signingSender = signingSender;
            this.signer = signer;
        }
    }

    /** One mail James accepted (250 after DATA). */
    public static final class Sent {
        public final String id;
        public final List<String> recipients;

        /** Outbound: must leave DKIM-signed. */
        public final boolean mustBeSigned;

        /** {@code [encrypt]}: its body marker must never leave, nor be held, in clear. */
        public final boolean mustBeProtected;

        /** Inbound from the domain that always signs: delivered only with dkim=pass. */
        public final boolean mustPassDkim;

        public final int size;
        public final boolean startTls;

        Sent(
                String id,
                List<String> recipients,
                boolean mustBeSigned,
                boolean mustBeProtected,
                boolean mustPassDkim,
                int size,
                boolean startTls) {
            this.id = id;
            this.recipients = recipients;
            this.mustBeSigned = mustBeSigned;
            this.mustBeProtected = mustBeProtected;
            this.mustPassDkim = mustPassDkim;
            this.size = size;
            this.startTls = startTls;
        }

        /** The marker its body repeats. */
        public String secret() {
            return "SECRET-" + id;
        }
    }

    private final String host;
    private final int port;
    private final Traffic traffic;
    private final int connections;
    private final double perSecond;
    private final String run;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean smallOnly;
    private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    private ExecutorService threads;
    private long startNanos;

    /**
     * A driver for James's SMTP server at host:port; {@code run} prefixes every id (unique per
     * run).
     */
    public LoadDriver(
            String host, int port, Traffic traffic, int connections, double perSecond, String run) {
        this.host = host;
        this.port = port;
        this.traffic = traffic;
        this.connections = connections;
        this.perSecond = perSecond;
        this.run = run;
    }

    /**
     * Sends only 2 KB mails (for long runs: James's memory mailbox and the sink keep every mail in
     * a heap).
     */
    public LoadDriver smallMailOnly() {
        this.smallOnly = true;
        return this;
    }

    /** Starts sending, in the background. */
    public void start() {
        startNanos = System.nanoTime();
        threads =
                Executors.newFixedThreadPool(
                        connections,
                        r -> {
                            Thread t = new Thread(r, "load-" + run);
                            t.setDaemon(true); // a failed test leaves no sender behind
                            return t;
                        });
        for (int c = 0; c < connections; c++) {
            boolean tls = c % 2 == 0;
            threads.execute(() -> connection(tls));
        }
    }

    /** Stops sending (mails under way finish) and returns every mail James accepted. */
    public List<Sent> stop() throws InterruptedException {
        stopping.set(true);
        threads.shutdown();
        if (!threads.awaitTermination(120, TimeUnit.SECONDS)) {
            threads.shutdownNow();
            throw new IllegalStateException("the senders did not stop within 120 s");
        }
        return accepted();
    }

    /**
     * Stops sending without waiting (for a test that failed half-way: a driver left running would
     * go on loading James, and the next test with it).
     */
    public void stopNow() {
        stopping.set(true);
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    /** Every mail accepted so far. */
    public List<Sent> accepted() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /**
     * When James accepted each mail (id -> wall clock in ms, taken as the 250 reply to the end of
     * DATA arrived).
     */
    public Map<String, Long> acceptedAtMillis() {
        return Map.copyOf(acceptedAt);
    }

    /** Mails refused or failed at SMTP time (not counted in). */
    public long refused() {
        return refused.get();
    }

    /** The first SMTP errors seen (at most 20). */
    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    private void connection(boolean startTls) {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "60000");
        if (startTls) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
            props.put("mail.smtp.ssl.trust", "*");
        }
        Session session = Session.getInstance(props);
        Transport transport = null;
        try {
            while (!stopping.get()) {
                long n = sequence.getAndIncrement();
                pace(n);
                if (stopping.get()) {
                    return;
                }
                try {
                    if (transport == null || !transport.isConnected()) {
                        transport = session.getTransport("smtp");
                        transport.connect();
                    }
                    Sent mail = mail(n, startTls);
                    MimeMessage m = message(session, mail, n);
                    transport.sendMessage(m, m.getAllRecipients());
                    acceptedAt.put(mail.id, System.currentTimeMillis());
                    sent.add(mail);
                } catch (MessagingException | RuntimeException e) {
                    refused.incrementAndGet();
                    if (errors.size() < 20) {
                        errors.add(n + ": " + e);
                    }
                    close(transport);
                    transport = null;
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } finally {
            close(transport);
        }
    }

    /** Keeps the target rate: mail n leaves no earlier than n / rate after the start. */
    private void pace(long n) throws InterruptedException {
        long due = startNanos + (long) (n * 1e9 / perSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private Sent mail(long n, boolean startTls) {
        int sizeSlot = (int) (n % 20);
        int size =
                smallOnly
                        ? 2 * 1024
                        : sizeSlot == 7 ? 1024 * 1024 : sizeSlot % 4 == 1 ? 50 * 1024 : 2 * 1024;
        int kind = (int) ((n + (n / 20) * 7) % 20); // every kind meets every size
        String id = run + "-" + n;
        List<String> local = traffic.localRecipients;
        List<String> remote = traffic.remoteRecipients;
        if (kind == 8) {
            return new Sent(id, List.of(pick(local, n)), false, false, true, size, startTls);
        }
        if (kind < 9) {
            List<String> to = new ArrayList<>();
            to.add(pick(local, n));
            if (kind == 0) {
                String second = pick(local, n + 1);
                if (!second.equals(to.get(0))) {
                    to.add(second);
                }
            }
            return new Sent(id, to, false, false, false, size, startTls);
        }
        if (kind < 12) {
            return new Sent(id, List.of(pick(local, n)), false, true, false, size, startTls);
        }
        if (kind < 17) {
            return new Sent(id, List.of(pick(remote, n)), true, false, false, size, startTls);
        }
        return new Sent(id, List.of(pick(remote, n)), true, true, false, size, startTls);
    }

    private MimeMessage message(Session session, Sent mail, long n) throws MessagingException {
        String messageId = "<" + mail.id + "@load.mailsec>";
        MimeMessage m =
                new MimeMessage(session) {
                    @Override
                    protected void updateMessageID() throws MessagingException {
                        setHeader("Message-ID", messageId);
                    }
                };
        String from =
                mail.mustBeSigned || mail.mustBeProtected
                        ? pick(traffic.localSenders, n)
                        : mail.mustPassDkim ? traffic.signingSender : traffic.outsideSender;
        m.setFrom(new InternetAddress(from));
        Address[] to = new Address[mail.recipients.size()];
        for (int i = 0; i < to.length; i++) {
            to[i] = new InternetAddress(mail.recipients.get(i));
        }
        m.setRecipients(MimeMessage.RecipientType.TO, to);
        m.setSubject((mail.mustBeProtected ? "[encrypt] " : "") + "load " + mail.id);
        m.setText(body(mail.secret(), mail.size));
        m.saveChanges();
        if (!mail.mustPassDkim) {
            return m;
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try {
            m.writeTo(raw);
            return new MimeMessage(
                    session,
                    new ByteArrayInputStream(traffic.signer.signedMessage(raw.toByteArray())));
        } catch (IOException e) {
            throw new MessagingException("cannot sign " + mail.id, e);
        }
    }

    private static String body(String secret, int size) {
        StringBuilder b = new StringBuilder(size + 100);
        String line = secret + " the quick brown fox jumps over the lazy dog 0123456789\r\n";
        while (b.length() < size) {
            b.append(line);
        }
        return b.toString();
    }

    private static String pick(List<String> from, long n) {
        return from.get((int) (n % from.size()));
    }

    private static void close(Transport t) {
        if (t != null) {
            try {
                t.close();
            } catch (MessagingException ignored) {
                // the connection is gone already
            }
        }
    }

    /** Mails per second actually accepted since the start. */
    public double acceptedPerSecond() {
        double seconds = Duration.ofNanos(System.nanoTime() - startNanos).toMillis() / 1000.0;
        return seconds == 0 ? 0 : sent.size() / seconds;
    }
}
