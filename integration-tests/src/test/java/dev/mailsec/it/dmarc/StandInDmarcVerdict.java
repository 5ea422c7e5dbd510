package dev.mailsec.it.dmarc;

import java.util.HashMap;
import java.util.Map;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Test-only stand-in for VerifyDmarc (built on another branch of issue 17): for a mail with an
 * {@code X-Test-Dmarc-Record} header, sets the {@code dev.mailsec.dmarc.result} attribute of the
 * issue's contract as VerifyDmarc would for that record, with {@code dkimAligned} from {@code
 * X-Test-Dkim-Aligned} and the client IP James saw. Once VerifyDmarc is merged, the end-to-end test
 * can run the real one with a DMARC record in DNS.
 */
public class StandInDmarcVerdict extends GenericMailet {

    static final AttributeName DMARC = AttributeName.of("dev.mailsec.dmarc.result");

    @Override
    public void service(Mail mail) throws MessagingException {
        String[] record = mail.getMessage().getHeader("X-Test-Dmarc-Record");
        if (record == null) {
            return;
        }
        String from = mail.getMessage().getFrom()[0].toString();
        String domain = from.substring(from.lastIndexOf('@') + 1).replace(">", "");
        boolean dkim = mail.getMessage().getHeader("X-Test-Dkim-Aligned") != null;
        Map<String, AttributeValue<?>> m = new HashMap<>();
        put(m, "result", dkim ? "pass" : "fail");
        put(m, "fromDomain", domain);
        put(m, "orgDomain", domain);
        put(m, "policy", "reject");
        put(m, "disposition", dkim ? "none" : "reject");
        put(m, "override", "");
        put(m, "dkimAligned", Boolean.toString(dkim));
        put(m, "spfAligned", "false");
        put(m, "record", record[0]);
        put(m, "rua", "");
        put(m, "sourceIp", mail.getRemoteAddr());
        mail.setAttribute(new Attribute(DMARC, AttributeValue.of(m)));
    }

    private static void put(Map<String, AttributeValue<?>> m, String k, String v) {
        m.put(k, AttributeValue.of(v));
    }
}
