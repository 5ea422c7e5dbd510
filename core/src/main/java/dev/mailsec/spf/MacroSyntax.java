package dev.mailsec.spf;

import java.util.regex.Pattern;

/** Syntax checks of RFC 7208 section 7.1 made at parse time, before anything is expanded. */
final class MacroSyntax {

    /**
     * toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).
     */
    private static final Pattern TOPLABEL =
            Pattern.compile(
                    "[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]");

    private MacroSyntax() {}

    /** macro-string: literals %x21-24 / %x26-7E and macro-expands; explain strings allow spaces. */
    static void checkMacroString(String value, boolean explain, String term)
            throws SpfSyntaxException {
        try {
            MacroExpander.expand(value, explain, null);
        } catch (SpfSyntaxException e) {
            throw new SpfSyntaxException(e.getMessage() + " in '" + term + "'");
        }
    }

    /**
     * domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand.
     */
    static void checkDomainSpec(String spec, String term) throws SpfSyntaxException {
        if (spec.isEmpty()) {
            throw new SpfSyntaxException("empty domain in '" + term + "'");
        }
        checkMacroString(spec, false, term);
        if (endsWithMacroExpand(spec)) {
            return;
        }
        String s = spec.endsWith(".") ? spec.substring(0, spec.length() - 1) : spec;
        int dot = s.lastIndexOf('.');
        if (dot < 0 || !TOPLABEL.matcher(s.substring(dot + 1)).matches()) {
            throw new SpfSyntaxException(
                    "domain must end in a top label or a macro: '" + term + "'");
        }
    }

    private static boolean endsWithMacroExpand(String spec) {
        if (spec.endsWith("}")) {
            int open = spec.lastIndexOf("%{");
            return open >= 0 && !escapedPercent(spec, open);
        }
        if (spec.length() >= 2) {
            char last = spec.charAt(spec.length() - 1);
            int pct = spec.length() - 2;
            return (last == '%' || last == '_' || last == '-')
                    && spec.charAt(pct) == '%'
                    && !escapedPercent(spec, pct);
        }
        return false;
    }

    /** Whether the '%' at {@code i} is the second half of a "%%". */
    private static boolean escapedPercent(String s, int i) {
        int n = 0;
        for (int k = i - 1; k >= 0 && s.charAt(k) == '%'; k--) {
            n++;
        }
        return n % 2 == 1;
    }
}
