package dev.mailsec.mailets.mime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.authentication.InboundAuthentication;
import dev.mailsec.authentication.InboundParameters;
import dev.mailsec.authentication.SmtpVerdicts;
import dev.mailsec.authentication.Verdicts;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.mailets.dmarc.VerifyDmarc;
import dev.mailsec.mailets.spf.VerifySpf;
import dev.mailsec.spf.SpfDns;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

/**
 * The verdicts RefuseDmarcReject leaves on a mail at SMTP time, written by the mailets instead of
 * evaluating again, only for the message it judged, and once.
 */
class HandedVerdictsTest {

    private static final String RAW =
            "From: a@shop.example\r\nTo: bob@example.net\r\nSubject: s\r\n\r\nbody\r\n";
    private static final SpfDns SPF =
            ZoneFileSpfDns.parse(
                    "shop.example. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n", "test.zone");

    private final AtomicInteger lookups = new AtomicInteger();
    private final KeyRecordSource txt =
            name -> {
                lookups.incrementAndGet();
                return name.equals("_dmarc.shop.example")
                        ? KeyLookup.found(List.of("v=DMARC1; p=reject"))
                        : KeyLookup.notFound("NXDOMAIN");
            };

    @Test
    void theMailetsWriteTheHandedVerdictsWithoutAskingDns() throws Exception {
        Mail mail = handed(RAW);
        lookups.set(0);

        SpfDns counting =
                (name, type) -> {
                    lookups.incrementAndGet();
                    return SPF.query(name, type);
                };
        init(new VerifySpf(counting, Clock.systemUTC())).service(mail);
        init(new VerifyDmarc(txt)).service(mail);

        assertThat(lookups).hasValue(0);
        String ar = mail.getMessage().getHeader("Authentication-Results")[0];
        assertThat(ar)
                .startsWith("mx.example.net;")
                .contains("spf=pass")
                .contains("smtp.mailfrom=a@shop.example")
                .contains("dmarc=pass")
                .contains("header.from=shop.example");
        assertThat(mail.getAttribute(VerifyDmarc.RESULT)).isPresent();
        assertThat(mail.getAttribute(VerifySpf.RESULT)).isPresent();
        // each part is taken once: what remains is the DKIM and ARC parts and the fingerprint
        @SuppressWarnings("unchecked")
        Map<String, AttributeValue<?>> rest =
                (Map<String, AttributeValue<?>>)
                        mail.getAttribute(HandedVerdicts.NAME).get().getValue().value();
        assertThat(rest.keySet())
                .containsExactlyInAnyOrder(
                        SmtpVerdicts.FINGERPRINT, SmtpVerdicts.DKIM, SmtpVerdicts.ARC);
    }

    @Test
    void aMessageChangedSinceTheHookIsEvaluatedAnew() throws Exception {
        Mail mail = handed(RAW);
        mail.getMessage().setHeader("Subject", "changed by a mailet");
        mail.getMessage().saveChanges();
        lookups.set(0);

        init(new VerifyDmarc(txt)).service(mail);

        assertThat(lookups.get()).isPositive();
        assertThat(mail.getAttribute(HandedVerdicts.NAME)).isEmpty();
        // evaluated here, without SPF (no VerifySpf ran): DKIM none, so fail
        assertThat(mail.getMessage().getHeader("Authentication-Results")[0]).contains("dmarc=fail");
    }

    @Test
    void aPartIsTakenOnlyOnce() throws Exception {
        Mail mail = handed(RAW);

        assertThat(HandedVerdicts.take(mail, SmtpVerdicts.DMARC)).isPresent();
        assertThat(HandedVerdicts.take(mail, SmtpVerdicts.DMARC)).isEmpty();
    }

    @Test
    void ourOwnAuthenticationResultsAndSavedMimeHeadersDoNotChangeTheFingerprint()
            throws Exception {
        Mail mail = handed(RAW);
        mail.getMessage().addHeader("Authentication-Results", "mx.example.net; dkim=none");
        mail.getMessage().saveChanges(); // adds MIME-Version, Content-Type, ...

        assertThat(HandedVerdicts.take(mail, SmtpVerdicts.SPF)).isPresent();
    }

    /** A mail carrying the verdicts of the hook's evaluation, as RefuseDmarcReject leaves them. */
    private Mail handed(String raw) throws Exception {
        MimeMessage m =
                new MimeMessage(
                        Session.getInstance(new Properties()),
                        new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        InboundAuthentication engines =
                InboundParameters.of(txt, SPF, DmarcSettings.defaults(), "mx.example.net");
        Verdicts v =
                engines.evaluate(
                        raw.getBytes(StandardCharsets.US_ASCII),
                        new InboundAuthentication.Envelope(
                                InetAddress.getByName("192.0.2.1"),
                                "client.example",
                                "a@shop.example",
                                "m1"));
        Mail mail =
                FakeMail.builder()
                        .name("m1")
                        .sender("a@shop.example")
                        .recipient("bob@example.net")
                        .remoteAddr("192.0.2.1")
                        .mimeMessage(m)
                        .build();
        String fingerprint =
                SmtpVerdicts.fingerprint(Collections.list(m.getAllHeaderLines()), m.getSize());
        mail.setAttribute(
                new Attribute(HandedVerdicts.NAME, value(SmtpVerdicts.of(v, fingerprint))));
        return mail;
    }

    private static <T extends Mailet> T init(T mailet) throws Exception {
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetName(mailet.getClass().getSimpleName())
                        .setProperty("authservId", "mx.example.net")
                        .build());
        return mailet;
    }

    private static AttributeValue<?> value(Object o) {
        if (o instanceof Map) {
            Map<String, AttributeValue<?>> map = new HashMap<>();
            ((Map<?, ?>) o).forEach((k, v) -> map.put(String.valueOf(k), value(v)));
            return AttributeValue.of(map);
        }
        if (o instanceof Collection) {
            List<AttributeValue<?>> list = new ArrayList<>();
            ((Collection<?>) o).forEach(v -> list.add(value(v)));
            return AttributeValue.of(list);
        }
        return AttributeValue.of(String.valueOf(o));
    }
}
