package dev.mailsec.cli.rights;

import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsTemplate;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./mailsec rights templates}: the templates of the configuration, with rights and expiry.
 */
@Command(
        name = "templates",
        mixinStandardHelpOptions = true,
        description = "List the rights templates (built-in and configured): name, rights, expiry.")
public final class RightsTemplatesCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RightsConfigOption config;

    @Override
    public Integer call() {
        RightsSettings s = config.load();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-20s %-45s %s%n", "TEMPLATE", "RIGHTS", "EXPIRY");
        for (RightsTemplate t : s.templates().values()) {
            out.printf(
                    "%-20s %-45s %s%n",
                    t.name(),
                    t.tokens(),
                    t.expiry().map(RightsTemplatesCommand::iso).orElse("none"));
        }
        out.flush();
        return 0;
    }

    /** P30D rather than Duration's PT720H when the expiry is whole days. */
    static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
    }
}
