package dev.mailsec.dns;

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
 * A BIND-syntax zone file read into memory, for tests and offline use: {@code name [ttl] [IN] TYPE
 * rdata} with {@code $ORIGIN}, {@code $TTL}, {@code @}, relative names, parentheses spanning lines
 * and {@code ;} comments, as {@code opendkim-genkey} writes them. TXT data is the concatenation of
 * its quoted strings; MX, PTR, CNAME and NS targets are made absolute against {@code $ORIGIN};
 * other data is kept as its tokens joined by one space. Names are lower case without the final dot.
 * DKIM keys ({@code ZoneFileKeyRecordSource}) and SPF ({@code ZoneFileSpfDns}) read through this
 * one parser.
 */
public final class ZoneFile {

    private final Map<String, Map<String, List<String>>> records;

    private ZoneFile(Map<String, Map<String, List<String>>> records) {
        this.records = records;
    }

    /** Reads a zone file; a syntax error names the line. */
    public static ZoneFile load(Path file) throws IOException {
        return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), file.toString());
    }

    /**
     * The data of one type at a name, in file order; empty when there is none. {@code type} is
     * upper case ({@code "TXT"}, {@code "A"}, ...).
     */
    public List<String> records(String name, String type) {
        Map<String, List<String>> byType = records.get(normalise(name));
        if (byType == null) {
            return List.of();
        }
        return byType.getOrDefault(type, List.of());
    }

    /** Whether the file holds any record at this name (to tell NXDOMAIN from "no data"). */
    public boolean hasName(String name) {
        return records.containsKey(normalise(name));
    }

    /** Names holding records of this type. */
    public int names(String type) {
        int n = 0;
        for (Map<String, List<String>> byType : records.values()) {
            if (byType.containsKey(type)) {
                n++;
            }
        }
        return n;
    }

    /** Parses zone file text; {@code source} names it in error messages. */
    public static ZoneFile parse(String text, String source) {
        Map<String, Map<String, List<String>>> out = new HashMap<>();
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
            if (i + 1 >= t.size()) {
                throw new IllegalArgumentException(
                        source + ":" + line.number + ": " + type + " record without data");
            }
            out.computeIfAbsent(name, n -> new HashMap<>())
                    .computeIfAbsent(type, n -> new ArrayList<>())
                    .add(data(type, t.subList(i + 1, t.size()), origin));
        }
        Map<String, Map<String, List<String>>> frozen = new HashMap<>();
        out.forEach(
                (k, v) -> {
                    Map<String, List<String>> byType = new HashMap<>();
                    v.forEach((type, list) -> byType.put(type, Collections.unmodifiableList(list)));
                    frozen.put(k, Collections.unmodifiableMap(byType));
                });
        return new ZoneFile(frozen);
    }

    private static String data(String type, List<Token> tokens, String origin) {
        StringBuilder value = new StringBuilder();
        if (type.equals("TXT") || type.equals("SPF")) {
            for (Token token : tokens) {
                value.append(token.text);
            }
            return value.toString();
        }
        for (int k = 0; k < tokens.size(); k++) {
            String text = tokens.get(k).text;
            boolean target =
                    k == tokens.size() - 1
                            && (type.equals("MX")
                                    || type.equals("PTR")
                                    || type.equals("CNAME")
                                    || type.equals("NS"));
            if (k > 0) {
                value.append(' ');
            }
            value.append(target ? absolute(text, origin) : text);
        }
        return value.toString();
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
