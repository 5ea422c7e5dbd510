package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dkm rotate --due}: apply the rollover policy (run it from cron or a timer). */
@Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        description = "Roll over everything the policy says is due, and expire grants (admin).")
final class RotateCommand implements Runnable {
    @ParentCommand DkmCommand dkm;

    @Option(
            names = "--due",
            description = "only what is due (required; there is no 'rotate everything')")
    boolean due;

    @Override
    public void run() {
        if (!due) {
            throw new UserException("--due: required (use 'secret rotate NAME' for one secret)", 2);
        }
        dkm.inSession(
                km -> {
                    List<String> done = km.rotateDue();
                    for (String d : done) {
                        dkm.out().println(d);
                    }
                    dkm.out().println(done.isEmpty() ? "nothing due" : done.size() + " action(s)");
                });
    }
}
