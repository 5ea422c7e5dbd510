package dev.mailsec.cli.install;

import java.io.PrintWriter;

/** What the installer did, one line each; counts the changes so a run that made none can say so. */
final class Report {
    private final PrintWriter out;
    private int changes;

    Report(PrintWriter out) {
        this.out = out;
    }

    void changed(String line) {
        changes++;
        out.println("  " + line);
        out.flush();
    }

    void note(String line) {
        out.println("  " + line);
        out.flush();
    }

    void section(String title) {
        out.println(title);
        out.flush();
    }

    int changes() {
        return changes;
    }
}
