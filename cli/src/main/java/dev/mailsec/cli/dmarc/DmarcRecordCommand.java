package dev.mailsec.cli.dmarc;

import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.dmarc.OrgDomainMode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec dmarc record DOMAIN}: the DMARC record that applies to a From domain, where it
 * was found, parsed with its defaults, and the organizational domain.
 */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description = "Show the DMARC record that applies to a domain, parsed.")
public final class DmarcRecordCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin KeyRecordOptions records;

    @Option(
            names = "--org-domain",
            paramLabel = "psl|treewalk",
            defaultValue = "psl",
            description = "How the organizational domain is found (default: ${DEFAULT-VALUE}).")
    String orgDomain;

    @Parameters(paramLabel = "DOMAIN", description = "The From domain.")
    String domain;

    @Override
    public Integer call() {
        Dmarc.Discovered d;
        try {
            OrgDomainMode mode = OrgDomainMode.fromKeyword(orgDomain);
            d =
                    new Dmarc(records.source(), DmarcSettings.builder().orgDomainMode(mode).build())
                            .discover(domain);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("domain: " + d.domain);
        out.println("organizational domain: " + d.orgDomain);
        out.println("status: " + d.status + (d.detail.isEmpty() ? "" : " (" + d.detail + ")"));
        if (d.record != null) {
            out.println("found at: _dmarc." + d.recordDomain);
            out.println("published: " + d.record.text());
            out.println("parsed: " + d.record);
        }
        out.flush();
        return d.record != null && d.record.isValid() ? 0 : 1;
    }
}
