package dev.mailsec.cli.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * What the installer has already set up in DKM ({@code var/mailsec/install.state}, one fact a line,
 * e.g. {@code member rights james-transport}), for the store it names. A later run trusts it
 * instead of asking the store, because every DKM listing is audited (a write): with nothing
 * missing, a second run opens no session and leaves the store's files as they were.
 */
final class InstallState {
    private final Path file;
    private final String store;
    private final TreeSet<String> facts = new TreeSet<>();

    InstallState(Path file, String store) {
        this.file = file;
        this.store = store;
        if (Files.isRegularFile(file)) {
            String[] lines = new String(InstallFiles.read(file), UTF_8).split("\n");
            if (lines.length > 0 && lines[0].equals(header())) {
                facts.addAll(Arrays.asList(lines).subList(1, lines.length));
                facts.remove("");
            }
        }
    }

    private String header() {
        return "# mailsec install: set up in the DKM store " + store;
    }

    boolean has(String fact) {
        return facts.contains(fact);
    }

    void add(String fact) {
        facts.add(fact);
    }

    void save(InstallFiles files) {
        files.write(
                file,
                (header() + "\n" + String.join("\n", facts) + "\n").getBytes(UTF_8),
                InstallFiles.OWNER_ONLY_FILE,
                "what is set up in DKM");
    }
}
