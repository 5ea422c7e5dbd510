package dev.mailsec.cli.tls;

import dev.mailsec.cli.UserException;
import dev.mailsec.tls.published.PemCredential;
import dev.mailsec.tls.published.PublishedRecords;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./mailsec tls mta-sts records}: the DNS records to publish for our domains, in zone-file
 * syntax: {@code _mta-sts} (its id follows the policy's content), {@code _smtp._tls} and, with
 * {@code --dane-certificate}, {@code _25._tcp} TLSA 3 1 1 of our SMTP server's key.
 */
@Command(
        name = "records",
        mixinStandardHelpOptions = true,
        description =
                "Print the DNS records to publish for our domains' MTA-STS, TLS-RPT and DANE.")
public final class MtaStsRecordsCommand implements Callable<Integer> {

    @ParentCommand TlsMtaStsCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--dane-certificate",
            paramLabel = "PEM",
            description =
                    "the certificate our SMTP server presents (leaf first): also print TLSA 3 1 1"
                            + " records for each mx host of the policies")
    Path daneCertificate;

    @Override
    public Integer call() {
        Optional<X509Certificate> smtp = Optional.empty();
        if (daneCertificate != null) {
            try {
                smtp = Optional.of(PemCredential.certificates(daneCertificate).get(0));
            } catch (IllegalArgumentException e) {
                throw new UserException("--dane-certificate: " + e.getMessage(), 2);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String line : PublishedRecords.of(parent.load(), smtp)) {
            out.println(line);
        }
        out.flush();
        return 0;
    }
}
