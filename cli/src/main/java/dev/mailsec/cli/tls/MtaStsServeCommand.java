package dev.mailsec.cli.tls;

import dev.mailsec.cli.Foreground;
import dev.mailsec.tls.published.OwnPolicies;
import dev.mailsec.tls.published.OwnPolicy;
import dev.mailsec.tls.published.PolicyServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./mailsec tls mta-sts serve}: serves {@code
 * https://mta-sts.DOMAIN/.well-known/mta-sts.txt} for every domain of the file, in the foreground,
 * until Ctrl-C or SIGTERM.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve our domains' MTA-STS policies over HTTPS in the foreground; Ctrl-C stops it."
        })
public final class MtaStsServeCommand implements Callable<Integer> {

    @ParentCommand TlsMtaStsCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        OwnPolicies policies = parent.load();
        PolicyServer server;
        try {
            server = PolicyServer.start(policies);
        } catch (IOException e) {
            throw Foreground.cannotListen(policies.bind(), policies.port(), e);
        }
        CountDownLatch stopped = Foreground.stopOnShutdown("mta-sts-shutdown", server::close);
        PrintWriter out = spec.commandLine().getOut();
        for (OwnPolicy policy : policies.policies().values()) {
            out.println(
                    "serving https://"
                            + policy.policyHost()
                            + PolicyServer.PATH
                            + " (id "
                            + policy.id()
                            + ")");
        }
        out.println(
                "mailsec tls mta-sts serve: listening on " + policies.bind() + ":" + server.port());
        out.flush();
        stopped.await();
        return 0;
    }
}
