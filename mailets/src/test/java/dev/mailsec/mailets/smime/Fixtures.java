package dev.mailsec.mailets.smime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

final class Fixtures {

    private Fixtures() {}

    static final String MESSAGE =
            "From: Alice <alice@example.test>\r\n"
                    + "To: bob@example.test, dave@example.test\r\n"
                    + "Subject: figures\r\n"
                    + "Message-ID: <m1@example.test>\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                    + "\r\n"
                    + "--b1\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n"
                    + "\r\n"
                    + "Hello Bob\r\n"
                    + "--b1\r\n"
                    + "Content-Type: application/octet-stream; name=\"a.bin\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n"
                    + "\r\n"
                    + "AAECAwQFBgcICQ==\r\n"
                    + "--b1--\r\n";

    static MimeMessage message(String text) throws Exception {
        return new MimeMessage(
                Session.getInstance(new Properties()),
                new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    static byte[] bytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }
}
