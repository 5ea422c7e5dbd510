package dev.mailsec.rights;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Raw CRLF test messages with distinctive strings in the body and attachments, so tests can prove
 * that none of them travels in a wrapper. Shared through core's test-jar.
 */
public final class RightsTestMessages {
    /** In the plain-text body. */
    public static final String BODY_SECRET = "Quarterly merger codename BLUEHERON-7731";

    /** In the HTML body. */
    public static final String HTML_SECRET = "Board vote on PURPLE-OSPREY-4402";

    /** In the quoted-printable text attachment. */
    public static final String ATTACHMENT_SECRET = "Salary table for GREEN-KESTREL-9150";

    /** In the base64 binary attachment. */
    public static final String BINARY_SECRET = "PDF-PAYLOAD-RED-FALCON-5583";

    private RightsTestMessages() {}

    /**
     * A multipart/mixed message (text + HTML alternative, a quoted-printable and a base64
     * attachment).
     */
    public static byte[] multipart(String from, String to, String messageId, String subject) {
        String binary =
                Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(
                                ("%PDF-1.4\n" + BINARY_SECRET + "\n\u0000\u0001\u0002 binary tail")
                                        .getBytes(StandardCharsets.ISO_8859_1));
        String s =
                "Return-Path: <"
                        + from
                        + ">\r\n"
                        + "From: Alice Example <"
                        + from
                        + ">\r\n"
                        + "To: "
                        + to
                        + "\r\n"
                        + "Subject: "
                        + subject
                        + "\r\n"
                        + "Date: Mon, 23 Nov 2026 14:00:00 +0000\r\n"
                        + "Message-ID: <"
                        + messageId
                        + ">\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=\"outer-b1\"\r\n"
                        + "\r\n"
                        + "This is a multi-part message in MIME format.\r\n"
                        + "--outer-b1\r\n"
                        + "Content-Type: multipart/alternative; boundary=\"alt-b2\"\r\n"
                        + "\r\n"
                        + "--alt-b2\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: 7bit\r\n"
                        + "\r\n"
                        + "Hello Carol,\r\n\r\n"
                        + BODY_SECRET
                        + " is confidential.\r\n"
                        + "--alt-b2\r\n"
                        + "Content-Type: text/html; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: 7bit\r\n"
                        + "\r\n"
                        + "<html><body><p>Hello Carol,</p><p>"
                        + HTML_SECRET
                        + "</p></body></html>\r\n"
                        + "--alt-b2--\r\n"
                        + "\r\n"
                        + "--outer-b1\r\n"
                        + "Content-Type: text/plain; charset=utf-8; name=\"salaries.txt\"\r\n"
                        + "Content-Disposition: attachment; filename=\"salaries.txt\"\r\n"
                        + "Content-Transfer-Encoding: quoted-printable\r\n"
                        + "\r\n"
                        + "Salary table for GREEN-KESTREL=\r\n-9150 =E2=82=AC\r\n"
                        + "--outer-b1\r\n"
                        + "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
                        + "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n"
                        + "\r\n"
                        + binary
                        + "\r\n"
                        + "--outer-b1--\r\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
