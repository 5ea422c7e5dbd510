package dev.mailsec.tls.connector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe's side of an SMTP dialogue: commands out, replies in (bounded, so a hostile peer cannot
 * keep us reading), and peer text made printable for reports. Stateless.
 */
final class SmtpLines {
    private SmtpLines() {}

    static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads one SMTP reply (all its lines); at most 100 lines, so a hostile peer cannot keep us
     * reading.
     */
    static List<String> reply(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < 100) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed by the host");
            }
            lines.add(line.length() > 512 ? line.substring(0, 512) : line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
        throw new IOException("reply longer than 100 lines");
    }

    static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Peer-controlled text, made one printable line. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }
}
