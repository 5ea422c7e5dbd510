package dev.mailsec.smime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real peer tool (openssl, gpgsm) and fails loudly with its stderr. */
final class Openssl {

    private Openssl() {}

    static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    static Result run(Path dir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(Arrays.asList(command));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(dir, "tool", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    /** Runs and requires exit 0. */
    static String ok(Path dir, String... command) throws IOException, InterruptedException {
        return ok(dir, Map.of(), command);
    }

    static String ok(Path dir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        Result r = run(dir, env, command);
        if (r.exit != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " exited " + r.exit + ":\n" + r.output);
        }
        return r.output;
    }
}
