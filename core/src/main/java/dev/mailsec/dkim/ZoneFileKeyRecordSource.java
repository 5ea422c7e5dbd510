package dev.mailsec.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Key records from a BIND-syntax zone file, for tests and offline use: {@code name [ttl] [IN] TXT
 * "..." "..."} with {@code $ORIGIN}, {@code $TTL}, {@code @}, relative names, parentheses spanning
 * lines and {@code ;} comments, as {@code opendkim-genkey} writes them. Other record types are
 * skipped. Names the file does not hold are {@link KeyLookup.Status#NOT_FOUND}.
 */
public final class ZoneFileKeyRecordSource implements KeyRecordSource {

    private final Map<String, List<String>> records;

    private ZoneFileKeyRecordSource(Map<String, List<String>> records) {
        this.records = records;
    }

    /** Reads a zone file; a syntax error names the line. */
    public static ZoneFileKeyRecordSource load(Path file) throws IOException {
        return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), file.toString());
    }

    /** Parses zone file text; {@code source} names it in error messages. */
    public static ZoneFileKeyRecordSource parse(String text, String source) {
        Map<String, List<String>> out = new HashMap<>();
        String origin = null;
        String previousName = null;
        for (LogicalLine line : logicalLines(text, source)) {
            List<Token> t = line.tokens;
            if (t.isEmpty()) {
                continue;
            }
            String first = t.get(0).text;
            if (!t.get(0).quoted && first.startsWith("$")) {
                if (first.equalsIgnoreCase("$ORIGIN") && t.size() >= 2) {
                    origin = normalise(t.get(1).text);
                } else if (!first.equalsIgnoreCase("$TTL")) {
                    throw new IllegalArgumentException(
                            source + ":" + line.number + ": unsupported directive " + first);
                }
                continue;
            }
            int i = 0;
            String name;
            if (line.startsWithBlank) {
                if (previousName == null) {
                    throw new IllegalArgumentException(
                            source + ":" + line.number + ": record without a name");
                }
                name = previousName;
            } else {
                name = absolute(t.get(0).text, origin);
                i = 1;
            }
            previousName = name;
            // optional TTL and class, in either order
            while (i < t.size()
                    && !t.get(i).quoted
                    && (t.get(i).text.matches("\\d+[smhdwSMHDW]?")
                            || t.get(i).text.equalsIgnoreCase("IN"))) {
                i++;
            }
            if (i >= t.size()) {
                throw new IllegalArgumentException(
                        source + ":" + line.number + ": record without a type");
            }
            String type = t.get(i).text.toUpperCase(Locale.ROOT);
            if (!type.equals("TXT")) {
                continue;
            }
            StringBuilder value = new StringBuilder();
            for (int k = i + 1; k < t.size(); k++) {
                value.append(t.get(k).text);
            }
            if (i + 1 >= t.size()) {
                throw new IllegalArgumentException(
                        source + ":" + line.number + ": TXT record without data");
            }
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(value.toString());
        }
        Map<String, List<String>> frozen = new HashMap<>();
        out.forEach((k, v) -> frozen.put(k, Collections.unmodifiableList(v)));
        return new ZoneFileKeyRecordSource(frozen);
    }

    @Override
    public KeyLookup lookup(String name) {
        List<String> found = records.get(normalise(name));
        return found == null ? KeyLookup.notFound("NXDOMAIN in zone file") : KeyLookup.found(found);
    }

    /** Number of names holding TXT records. */
    public int size() {
        return records.size();
    }

    private static String absolute(String name, String origin) {
        if (name.equals("@")) {
            if (origin == null) {
                throw new IllegalArgumentException("'@' used before $ORIGIN");
            }
            return origin;
        }
        if (name.endsWith(".") || origin == null) {
            return normalise(name);
        }
        return normalise(name) + "." + origin;
    }

    private static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static final class Token {
        final String text;
        final boolean quoted;

        Token(String text, boolean quoted) {
            this.text = text;
            this.quoted = quoted;
        }
    }

    private static final class LogicalLine {
        final int number;
        final boolean startsWithBlank;
        final List<Token> tokens = new ArrayList<>();

        LogicalLine(int number, boolean startsWithBlank) {
            this.number = number;
            this.startsWithBlank = startsWithBlank;
        }
    }

    private static List<LogicalLine> logicalLines(String text, String source) {
        List<LogicalLine> lines = new ArrayList<>();
        int lineNo = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c0 = text.charAt(i);
            LogicalLine line = new LogicalLine(lineNo, c0 == ' ' || c0 == '\t');
            int depth = 0;
            while (i < n) {
                char c = text.charAt(i);
                if (c == '\n') {
                    lineNo++;
                    i++;
                    if (depth == 0) {
                        break;
                    }
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    i++;
                } else if (c == ';') {
                    while (i < n && text.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '(') {
                    depth++;
                    i++;
                } else if (c == ')') {
                    if (--depth < 0) {
                        throw new IllegalArgumentException(
                                source + ":" + lineNo + ": unbalanced ')'");
                    }
                    i++;
                } else if (c == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char q = text.charAt(i++);
                        if (q == '"') {
                            closed = true;
                            break;
                        }
                        if (q == '\\' && i < n) {
                            if (i + 2 < n
                                    && Character.isDigit(text.charAt(i))
                                    && Character.isDigit(text.charAt(i + 1))
                                    && Character.isDigit(text.charAt(i + 2))) {
                                sb.append((char) Integer.parseInt(text.substring(i, i + 3)));
                                i += 3;
                            } else {
                                sb.append(text.charAt(i++));
                            }
                            continue;
                        }
                        if (q == '\n') {
                            lineNo++;
                        }
                        sb.append(q);
                    }
                    if (!closed) {
                        throw new IllegalArgumentException(
                                source + ":" + lineNo + ": unterminated quoted string");
                    }
                    line.tokens.add(new Token(sb.toString(), true));
                } else {
                    int start = i;
                    while (i < n && " \t\r\n;()\"".indexOf(text.charAt(i)) < 0) {
                        i++;
                    }
                    line.tokens.add(new Token(text.substring(start, i), false));
                }
            }
            if (depth > 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": unbalanced '('");
            }
            lines.add(line);
        }
        return lines;
    }
}
