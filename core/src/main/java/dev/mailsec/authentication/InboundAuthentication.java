package dev.mailsec.authentication;

import dev.mailsec.arc.ArcVerification;
import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.dkim.BodyHashers;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcInputs;
import dev.mailsec.dmarc.DmarcVerdict;
import dev.mailsec.spf.SpfChecker;
import dev.mailsec.spf.SpfResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Inbound authentication in one call: DKIM verify, SPF (RFC 7208), ARC verify (RFC 8617) and DMARC
 * (RFC 7489) over one read of the message, for an SMTP hook after DATA, a benchmark or the CLI. The
 * engines are the ones the mailets use; this class only feeds them the same bytes and hands each
 * the verdicts it reads. Thread-safe when the engines are (they are). Knows no James.
 */
public final class InboundAuthentication {

    /** ARC sets handed to DMARC at most (RFC 8617 section 4.2.1 allows 50). */
    static final int MAX_ARC_SETS = 50;

    /** DKIM verdicts handed to DMARC at most. */
    static final int MAX_DKIM_RESULTS = 50;

    private final DkimVerifier dkim;
    private final SpfChecker spf;
    private final ArcVerifier arc;
    private final Dmarc dmarc;

    /**
     * @param spf null to leave SPF out (DMARC then passes on DKIM alone, as for a missing SPF
     *     verdict)
     */
    public InboundAuthentication(DkimVerifier dkim, SpfChecker spf, ArcVerifier arc, Dmarc dmarc) {
        this.dkim = Objects.requireNonNull(dkim, "dkim");
        this.spf = spf;
        this.arc = Objects.requireNonNull(arc, "arc");
        this.dmarc = Objects.requireNonNull(dmarc, "dmarc");
    }

    /** The envelope of one SMTP transaction. */
    public static final class Envelope {
        final InetAddress clientIp;
        final String helo;
        final String mailFrom;
        final String sampleKey;

        /**
         * @param clientIp null when unknown: SPF is then not evaluated
         * @param helo the HELO/EHLO name, null or "" if none
         * @param mailFrom the MAIL FROM address without brackets, null or "" for the null
         *     reverse-path
         * @param sampleKey what pct sampling hashes (the mail's name), may be ""
         */
        public Envelope(InetAddress clientIp, String helo, String mailFrom, String sampleKey) {
            this.clientIp = clientIp;
            this.helo = helo == null ? "" : helo;
            this.mailFrom = mailFrom == null ? "" : mailFrom;
            this.sampleKey = sampleKey == null ? "" : sampleKey;
        }
    }

    /** Evaluates a message given whole. */
    public Verdicts evaluate(byte[] message, Envelope envelope) {
        try {
            return evaluate(new ByteArrayInputStream(message), envelope);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen for an array", e);
        }
    }

    /**
     * Reads the message once (DKIM, ARC and the From fields from the same bytes), then checks SPF
     * and evaluates DMARC. The header section is collected and parsed once for all three, and the
     * body streams once through one hasher per distinct body hash that the DKIM-Signatures and
     * ARC-Message-Signatures ask for (RFC 6376's c=, a=, l=); a body no verdict needs is not read.
     * Hostile input gets verdicts, never an exception; only the stream's own {@link IOException}
     * passes.
     */
    public Verdicts evaluate(InputStream message, Envelope envelope) throws IOException {
        return evaluate(
                out -> {
                    byte[] buf = new byte[16 * 1024];
                    for (int n; (n = message.read(buf)) >= 0; ) {
                        out.write(buf, 0, n);
                    }
                },
                envelope);
    }

    /** Writes a message's bytes into the evaluation (a {@code MimeMessage}'s writeTo). */
    public interface MessageWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * As {@link #evaluate(InputStream, Envelope)}, the message written in by its holder: streamed
     * through the engines, never held whole (an SMTP hook hands James's stored message); the
     * writing is cut short once the verdicts need no more bytes.
     */
    public Verdicts evaluate(MessageWriter message, Envelope envelope) throws IOException {
        Objects.requireNonNull(envelope, "envelope");
        Reading reading =
                new Reading(
                        new HeaderSection(
                                Math.max(
                                        dkim.policy().maxHeaderBytes(),
                                        arc.policy().maxHeaderBytes()),
                                Math.max(
                                        dkim.policy().maxHeaderFields(),
                                        arc.policy().maxHeaderFields())));
        try {
            message.writeTo(reading);
        } catch (IOException e) {
            if (!reading.enough) {
                throw e; // the message's own fault; a writer may have wrapped our Enough
            }
        }
        if (reading.d == null) {
            // the message ended inside its header section: no body
            reading.check();
        }
        return verdicts(reading.d.result(), reading.a.result(), reading.header, envelope);
    }

    /** Thrown into the message's writer when the verdicts need no more bytes. */
    private static final class Enough extends IOException {
        private static final long serialVersionUID = 1L;

        Enough() {
            super("enough");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** The one read: header bytes into the header section, then the body through the hashers. */
    private final class Reading extends OutputStream {
        final HeaderSection header;
        final BodyHashers bodies = new BodyHashers();
        DkimVerifier.Checked d;
        ArcVerifier.Checked a;
        boolean enough;

        Reading(HeaderSection header) {
            this.header = header;
        }

        void check() {
            d = dkim.check(header.collected(), bodies);
            a = arc.check(header.collected(), bodies);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (enough) {
                throw new Enough();
            }
            if (d != null) {
                bodies.update(b, off, len);
                return;
            }
            int taken = header.take(b, off, len);
            if (!header.ended()) {
                return;
            }
            check();
            if (taken < 0 || bodies.isEmpty()) {
                enough = true;
                throw new Enough();
            }
            bodies.update(b, off + taken, len - taken);
        }
    }

    private Verdicts verdicts(
            DkimVerification d, ArcVerification a, HeaderSection header, Envelope envelope) {
        SpfResult s =
                spf == null || envelope.clientIp == null
                        ? null
                        : spf.checkMailFrom(envelope.clientIp, envelope.mailFrom, envelope.helo);
        DmarcInputs.Builder in =
                DmarcInputs.builder()
                        .sampleKey(envelope.sampleKey)
                        .sourceIp(
                                envelope.clientIp == null
                                        ? ""
                                        : envelope.clientIp.getHostAddress());
        header.fromFields().forEach(in::from);
        List<DkimSignatureResult> results = d.results();
        for (int i = 0; i < results.size() && i < MAX_DKIM_RESULTS; i++) {
            in.dkim(results.get(i).result().keyword(), results.get(i).domain());
        }
        if (s != null) {
            in.spf(s.code().keyword(), s.domain(), s.scope().keyword());
        }
        in.arc(a.result().keyword());
        List<String> sealers = a.sealers();
        List<String> aars = a.aars();
        for (int i = 0; i < sealers.size() && i < MAX_ARC_SETS; i++) {
            in.arcSet(i + 1, sealers.get(i), i < aars.size() ? aars.get(i) : "");
        }
        DmarcVerdict m = dmarc.evaluate(in.build());
        return new Verdicts(d, s, a, m, envelope.clientIp);
    }
}
