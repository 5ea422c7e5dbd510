package dev.mailsec.cli;

import picocli.CommandLine.Command;

/**
 * {@code ./mailsec run} is carried out by the launcher script, which needs Maven to build the pack
 * and to fetch James; this entry only documents it in {@code --help} and explains itself when
 * reached through {@code java -jar} directly.
 */
@Command(
        name = "run",
        description = {
            "Start a real James 3.8.1 with the pack and the sample configuration on loopback.",
            "Builds the pack if needed, installs it into the stock memory distribution with",
            "'mailsec install --sample-pipeline' (INSTALL.md), adds the demo's domains and users,",
            "and runs James in the foreground (Ctrl-C stops it).",
            "Ports: MAILSEC_SMTP_PORT (2525), MAILSEC_SMTPS_PORT (4650), MAILSEC_IMAP_PORT (1430),",
            "MAILSEC_WEBADMIN_PORT (8000), MAILSEC_PORTAL_PORT (8090, the rights portal started next to",
            "James). State lives in MAILSEC_HOME (./.run)."
        })
final class RunCommand implements Runnable {
    @Override
    public void run() {
        throw new UserException(
                "'run' is handled by the ./mailsec launcher script at the repository root; start it from there",
                2);
    }
}
