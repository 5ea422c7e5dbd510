package dev.mailsec.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One run of the real command line ({@link MailsecCommand#execute}) with what it printed captured.
 */
public final class CliRun {
    public final int exitCode;

    /** Standard output as bytes (commands that print a message's raw bytes). */
    public final byte[] outBytes;

    public final String out;
    public final String err;

    private CliRun(int exitCode, byte[] outBytes, String err) {
        this.exitCode = exitCode;
        this.outBytes = outBytes;
        this.out = new String(outBytes, StandardCharsets.UTF_8);
        this.err = err;
    }

    /**
     * Runs {@code ./mailsec ARGS} in this JVM, System.out and System.err redirected for the run.
     */
    public static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = MailsecCommand.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CliRun(code, o.toByteArray(), e.toString(StandardCharsets.UTF_8));
    }
}
