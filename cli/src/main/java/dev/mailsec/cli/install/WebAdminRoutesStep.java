package dev.mailsec.cli.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enables the pack's WebAdmin routes (docs/webadmin.md) in James's {@code
 * conf/webadmin.properties}: adds {@code dev.mailsec.webadmin.MailsecRoutes} to {@code
 * extensions.routes}, after the routes the operator lists there already, and changes no other line.
 * James builds the routes with its own injector (every binding they need is James's), so no Guice
 * module goes into {@code extensions.properties}. Without a {@code webadmin.properties} James runs
 * no WebAdmin, and the step only says so.
 */
final class WebAdminRoutesStep {
    static final String ROUTES = "dev.mailsec.webadmin.MailsecRoutes";
    private static final Pattern KEY = Pattern.compile("^\\s*extensions\\.routes\\s*[=:]\\s*(.*)$");

    private final InstallLayout layout;
    private final InstallFiles files;
    private final Report report;

    WebAdminRoutesStep(InstallLayout layout, InstallFiles files, Report report) {
        this.layout = layout;
        this.files = files;
        this.report = report;
    }

    void install() {
        Path file = layout.conf().resolve("webadmin.properties");
        if (!Files.isRegularFile(file)) {
            report.note(
                    "no conf/webadmin.properties: James runs no WebAdmin, so the pack's routes are"
                            + " not enabled (docs/webadmin.md)");
            return;
        }
        String text = new String(InstallFiles.read(file), UTF_8);
        String updated = withRoutes(text);
        if (!updated.equals(text)) {
            files.write(
                    file,
                    updated.getBytes(UTF_8),
                    InstallFiles.PUBLIC_FILE,
                    "extensions.routes: the pack's WebAdmin routes under /mailsec");
        }
    }

    /**
     * {@code text} with {@link #ROUTES} in its {@code extensions.routes}, every other byte kept.
     */
    static String withRoutes(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int last = i;
            StringBuilder value = new StringBuilder(m.group(1));
            while (lines.get(last).endsWith("\\") && last + 1 < lines.size()) {
                last++;
                value.append(lines.get(last));
            }
            for (String name : value.toString().split("[,\\\\\\s]+")) {
                if (name.equals(ROUTES)) {
                    return text;
                }
            }
            String end = lines.get(last);
            lines.set(last, end.strip().endsWith("=") ? end + ROUTES : end + "," + ROUTES);
            return String.join("\n", lines);
        }
        String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return text
                + sep
                + "# mailsec: the pack's WebAdmin routes under /mailsec (docs/webadmin.md)\n"
                + "extensions.routes="
                + ROUTES
                + "\n";
    }
}
