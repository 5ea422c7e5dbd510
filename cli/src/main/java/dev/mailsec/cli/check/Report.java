package dev.mailsec.cli.check;

import java.io.PrintWriter;

/**
 * What {@code mailsec check} prints: one line per check, {@code ok WHAT}, {@code warn WHAT: WHY} or
 * {@code error WHAT: WHY}, then a summary line. Any error makes the exit status 1.
 */
final class Report {
    private final PrintWriter out;
    private int ok;
    private int warnings;
    private int errors;

    Report(PrintWriter out) {
        this.out = out;
    }

    void ok(String what) {
        line("ok " + what);
    }

    void warn(String what, String why) {
        line("warn " + what + ": " + why);
    }

    void error(String what, String why) {
        line("error " + what + ": " + why);
    }

    /**
     * A line already starting with {@code ok}, {@code warn} or {@code error} (from the pipeline
     * check).
     */
    void line(String line) {
        if (line.startsWith("error ")) {
            errors++;
        } else if (line.startsWith("warn ")) {
            warnings++;
        } else {
            ok++;
        }
        out.println(line);
        out.flush();
    }

    int errors() {
        return errors;
    }

    void summary(long millis) {
        out.println(
                (errors == 0 ? "passed" : "FAILED")
                        + ": "
                        + (ok + warnings + errors)
                        + " checks, "
                        + ok
                        + " ok, "
                        + warnings
                        + " warnings, "
                        + errors
                        + " errors ("
                        + millis
                        + " ms)");
        out.flush();
    }

    /** The exception's message on one line, or its type when it has none (never a stack trace). */
    static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
