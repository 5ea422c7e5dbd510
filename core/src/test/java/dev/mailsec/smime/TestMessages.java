package dev.mailsec.smime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

/** Messages used across the S/MIME tests; all with CRLF line ends, as James stores them. */
final class TestMessages {

    private TestMessages() {}

    static final String OUTER =
            "From: Alice <alice@example.test>\r\n"
                    + "To: Bob <bob@example.test>\r\n"
                    + "Subject: quarterly figures\r\n"
                    + "Date: Mon, 23 Nov 2026 12:00:00 +0000\r\n"
                    + "Message-ID: <figures-1@example.test>\r\n"
                    + "MIME-Version: 1.0\r\n";

    /** The MIME entity (Content-* fields and body) of {@link #withAttachment()}. */
    static byte[] attachmentEntity() {
        byte[] pdf = new byte[6000];
        new Random(42).nextBytes(pdf);
        String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(pdf);
        String entity =
                "Content-Type: multipart/mixed;\r\n\tboundary=\"outer-b\"\r\n"
                        + "\r\n"
                        + "preamble text\r\n"
                        + "--outer-b\r\n"
                        + "Content-Type: multipart/alternative; boundary=\"alt-b\"\r\n"
                        + "\r\n"
                        + "--alt-b\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: quoted-printable\r\n"
                        + "\r\n"
                        + "Gr=C3=BC=C3=9Fe, the figures are attached.  \r\n"
                        + "--alt-b\r\n"
                        + "Content-Type: text/html; charset=utf-8\r\n"
                        + "\r\n"
                        + "<p>Gr&uuml;&szlig;e</p>\r\n"
                        + "--alt-b--\r\n"
                        + "--outer-b\r\n"
                        + "Content-Type: application/pdf; name=\"figures.pdf\"\r\n"
                        + "Content-Disposition: attachment; filename=\"figures.pdf\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n"
                        + "X-Custom-Part-Header: kept\r\n"
                        + "\r\n"
                        + b64
                        + "\r\n"
                        + "--outer-b--\r\n"
                        + "epilogue\r\n";
        return entity.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] withAttachment() {
        return concat(OUTER.getBytes(StandardCharsets.US_ASCII), attachmentEntity());
    }

    static byte[] simple() {
        return (OUTER
                        + "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello Bob,\r\nsee you tomorrow.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A text message of about {@code size} bytes. */
    static byte[] ofSize(int size) {
        StringBuilder sb = new StringBuilder(size + 200);
        sb.append(OUTER).append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        String line =
                "The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\r\n";
        while (sb.length() < size) {
            sb.append(line);
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
