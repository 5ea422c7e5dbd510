package dev.mailsec.cli.dmarc;

import dev.mailsec.authentication.SpfMethodResult;
import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.authres.MethodResult;
import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.AuthservIdOption;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import dev.mailsec.dkim.DkimAuthResults;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimSignatureResult;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcInputs;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.dmarc.DmarcVerdict;
import dev.mailsec.dmarc.OrgDomainMode;
import dev.mailsec.spf.SpfChecker;
import dev.mailsec.spf.SpfLimits;
import dev.mailsec.spf.SpfResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailsec dmarc check [--zone FILE | --dns SERVERS] [--spf-domain D --spf-result R]
 * MESSAGE}: verifies the message's DKIM signatures (the DkimVerifier VerifyDkim uses), checks SPF
 * with the SPF engine when {@code --ip} is given (with {@code --helo} and {@code --mail-from};
 * {@code --spf-domain}/{@code --spf-result} instead give an offline verdict) and prints the
 * Authentication-Results field and the DMARC verdict VerifyDmarc would record.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Evaluate DMARC for a message and print the verdict.")
public final class DmarcCheckCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin KeyRecordOptions records;

    @CommandLine.Mixin AuthservIdOption authservId;

    @Option(
            names = "--spf-domain",
            paramLabel = "DOMAIN",
            description = "The MAIL FROM domain SPF checked.")
    String spfDomain;

    @Option(
            names = "--spf-result",
            paramLabel = "RESULT",
            description = "The SPF result for --spf-domain (pass, fail, softfail, ...).")
    String spfResult;

    @Option(
            names = "--ip",
            paramLabel = "ADDRESS",
            description =
                    "The client address: SPF is checked for it (unless --spf-result is given),"
                            + " and it is the verdict's source IP.")
    String ip;

    @Option(names = "--helo", paramLabel = "NAME", description = "The HELO/EHLO name, for SPF.")
    String helo;

    @Option(
            names = "--mail-from",
            paramLabel = "ADDRESS",
            description = "The MAIL FROM address, for SPF (absent: the null sender, HELO checked).")
    String mailFrom;

    @Option(
            names = "--org-domain",
            paramLabel = "psl|treewalk",
            defaultValue = "psl",
            description = "How the organizational domain is found (default: ${DEFAULT-VALUE}).")
    String orgDomain;

    @Parameters(paramLabel = "MESSAGE", description = "Message file (RFC 5322), or - for stdin.")
    String message;

    @Override
    public Integer call() {
        if ((spfDomain == null) != (spfResult == null)) {
            throw new UserException("--spf-domain and --spf-result go together", 2);
        }
        String id;
        OrgDomainMode mode;
        try {
            id = AuthenticationResults.checkAuthservId(authservId.value());
            mode = OrgDomainMode.fromKeyword(orgDomain);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        }
        KeyRecordSource txt = records.source();
        byte[] bytes = read(message);
        DkimVerification dkim = new DkimVerifier(txt, DkimPolicy.builder().build()).verify(bytes);
        DmarcInputs.Builder in = DmarcInputs.builder().sourceIp(ip);
        HeaderFields.values(bytes, "From").forEach(in::from);
        for (DkimSignatureResult r : dkim.results()) {
            in.dkim(r.result().keyword(), r.domain());
        }
        SpfResult spf = null;
        if (spfDomain != null) {
            in.spf(spfResult, spfDomain, "mailfrom");
        } else if (ip != null) {
            spf =
                    new SpfChecker(records.spfDns(), SpfLimits.defaults().withReceiver(id))
                            .checkMailFrom(address(ip), mailFrom, helo);
            in.spf(spf.code().keyword(), spf.domain(), spf.scope().keyword());
        }
        DmarcVerdict v =
                new Dmarc(txt, DmarcSettings.builder().orgDomainMode(mode).build())
                        .evaluate(in.build());
        List<MethodResult> results = new ArrayList<>(DkimAuthResults.of(id, dkim).results());
        if (spfDomain != null) {
            results.add(
                    MethodResult.builder("spf", spfResult)
                            .reason("from --spf-result")
                            .property("smtp", "mailfrom", spfDomain)
                            .build());
        } else if (spf != null) {
            results.add(SpfMethodResult.of(spf));
        }
        results.add(v.methodResult());
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                AuthenticationResults.HEADER_NAME
                        + ": "
                        + AuthenticationResults.of(id, results)
                                .foldedValue()
                                .replace("\r\n", "\n"));
        for (Map.Entry<String, String> e : v.toMap().entrySet()) {
            out.println(e.getKey() + ": " + e.getValue());
        }
        out.flush();
        return 0;
    }

    private static InetAddress address(String ip) {
        if (!ip.matches("[0-9A-Fa-f:.]+")) {
            throw new UserException("--ip: not an IP address: '" + ip + "'", 2);
        }
        try {
            return InetAddress.getByName(ip); // a literal: no DNS
        } catch (UnknownHostException e) {
            throw new UserException("--ip: not an IP address: '" + ip + "'", 2);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = name.equals("-") ? System.in : Files.newInputStream(Path.of(name))) {
            byte[] bytes = in.readAllBytes();
            // a Unix mail file: as the mailet sees it after SMTP
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            return text.replaceAll("(?<!\r)\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new UserException("no such message file: " + name, 2);
        } catch (IOException e) {
            throw new UserException("cannot read " + name + ": " + e.getMessage(), 2);
        }
    }
}
