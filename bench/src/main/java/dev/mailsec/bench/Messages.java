package dev.mailsec.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** The benchmark corpus: RFC 5322 messages of a given size with ordinary headers and text lines. */
public final class Messages {
    private Messages() {}

    public static String label(int kb) {
        return kb >= 1024 ? (kb / 1024) + " MB" : kb + " KB";
    }

    /** A CRLF message of about {@code kb} KiB, the same bytes for the same size in every run. */
    public static byte[] message(int kb) {
        StringBuilder sb = new StringBuilder(kb * 1024 + 1024);
        sb.append("From: Alice <alice@mailsec.test>\r\n")
                .append("To: Bob <bob@example.test>\r\n")
                .append("Subject: benchmark message of ")
                .append(label(kb))
                .append("\r\n")
                .append("Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n")
                .append("Message-ID: <bench-")
                .append(kb)
                .append("@mailsec.test>\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        Random r = new Random(kb);
        String words =
                "the quick brown fox jumps over a lazy dog while mail servers sign verify encrypt ";
        while (sb.length() < kb * 1024) {
            int start = r.nextInt(words.length() - 40);
            sb.append(words, start, start + 30 + r.nextInt(10)).append("  \r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static Path write(Path dir, int kb) throws IOException {
        Path file = dir.resolve("message-" + kb + "k.eml");
        Files.write(file, message(kb));
        return file;
    }
}
