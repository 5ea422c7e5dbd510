package dev.mailsec.cli.dmarc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The unfolded values of one header field in a message's header section. */
final class HeaderFields {

    private HeaderFields() {}

    static List<String> values(byte[] message, String name) {
        String text = new String(message, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String header = end < 0 ? text : text.substring(0, end);
        List<String> out = new ArrayList<>();
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String field : header.split("\r\n(?![ \t])")) {
            if (field.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                out.add(field.substring(prefix.length()).replace("\r\n", "").trim());
            }
        }
        return out;
    }
}
