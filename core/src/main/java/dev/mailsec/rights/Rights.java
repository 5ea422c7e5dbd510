package dev.mailsec.rights;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Small helpers shared by the rights classes. */
final class Rights {
    private Rights() {}

    static String tokens(Collection<Right> rights) {
        StringBuilder sb = new StringBuilder();
        for (Right r : Right.values()) {
            if (rights.contains(r)) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(r.token());
            }
        }
        return sb.toString();
    }

    static List<String> tokenList(Collection<Right> rights) {
        List<String> out = new ArrayList<>();
        for (Right r : Right.values()) {
            if (rights.contains(r)) {
                out.add(r.token());
            }
        }
        return out;
    }

    static Set<Right> parseList(Collection<String> tokens) {
        EnumSet<Right> out = EnumSet.noneOf(Right.class);
        for (String t : tokens) {
            out.add(Right.parse(t));
        }
        return out;
    }

    /** Lower-cased address without surrounding blanks or angle brackets. */
    static String address(String a) {
        String s = a.trim();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** A Message-ID without angle brackets and blanks. */
    static String messageId(String id) {
        String s = id.trim();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s;
    }
}
