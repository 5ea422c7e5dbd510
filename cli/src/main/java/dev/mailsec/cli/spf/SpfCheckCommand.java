package dev.mailsec.cli.spf;

import dev.mailsec.cli.UserException;
import dev.mailsec.cli.dkim.KeyRecordOptions;
import dev.mailsec.dns.DnsServers;
import dev.mailsec.spf.DnsjavaSpfDns;
import dev.mailsec.spf.SpfChecker;
import dev.mailsec.spf.SpfDns;
import dev.mailsec.spf.SpfLimits;
import dev.mailsec.spf.SpfResult;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./mailsec spf check --ip IP [--helo NAME] [--mail-from ADDR] [--zone FILE | --dns-server
 * HOST:PORT]}: runs the engine {@code VerifySpf} runs and prints the result, the identity checked,
 * the reason, the explanation of a fail and every DNS question asked. Exit status 0 when the check
 * ran (whatever its result), 2 for a bad option.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Check SPF for a client IP, a MAIL FROM address and a HELO name.")
public final class SpfCheckCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--ip", required = true, paramLabel = "IP", description = "The client IP.")
    String ip;

    @Option(names = "--helo", paramLabel = "NAME", description = "The HELO/EHLO name.")
    String helo;

    @Option(
            names = "--mail-from",
            paramLabel = "ADDR",
            description = "The MAIL FROM address; absent or empty: the HELO name is checked.")
    String mailFrom;

    @Option(
            names = "--zone",
            paramLabel = "FILE",
            description = "Answer from this BIND zone file instead of DNS.")
    Path zone;

    @Option(
            names = "--dns-server",
            paramLabel = "HOST:PORT",
            description = "DNS servers (IP[:port], comma separated); default: the system's.")
    String dnsServers;

    @Option(
            names = "--dns-timeout-ms",
            paramLabel = "MS",
            defaultValue = "5000",
            description = "DNS query timeout per server (default: ${DEFAULT-VALUE}).")
    long dnsTimeoutMillis;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        InetAddress client = address();
        if ((mailFrom == null || mailFrom.isEmpty()) && (helo == null || helo.isEmpty())) {
            throw new UserException("give --mail-from, --helo or both", 2);
        }
        SpfResult r =
                new SpfChecker(dns(), SpfLimits.defaults()).checkMailFrom(client, mailFrom, helo);
        out.println("spf=" + r.code().keyword());
        out.println("scope: " + r.scope().keyword() + " (" + r.domain() + ")");
        out.println("identity: " + r.sender());
        out.println("ip: " + r.ip());
        out.println("reason: " + r.reason());
        if (!r.explanation().isEmpty()) {
            out.println("explanation: " + r.explanation());
        }
        out.println("lookups: " + r.lookups().size());
        for (String lookup : r.lookups()) {
            out.println("  " + lookup);
        }
        out.flush();
        return 0;
    }

    private InetAddress address() {
        if (!ip.matches("[0-9A-Fa-f:.]+")) {
            throw new UserException("--ip: not an IP address: '" + ip + "'", 2);
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new UserException("--ip: not an IP address: '" + ip + "'", 2);
        }
    }

    private SpfDns dns() {
        if (zone != null) {
            return KeyRecordOptions.loadZone(
                    zone, dnsServers != null, "--dns-server", ZoneFileSpfDns::load);
        }
        if (dnsTimeoutMillis < 1 || dnsTimeoutMillis > 60_000) {
            throw new UserException(
                    "--dns-timeout-ms: must be 1-60000, got " + dnsTimeoutMillis, 2);
        }
        try {
            List<java.net.InetSocketAddress> servers =
                    dnsServers == null ? List.of() : DnsServers.parse(dnsServers);
            return new DnsjavaSpfDns(
                    servers, Duration.ofMillis(dnsTimeoutMillis), 1000, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new UserException("--dns-server: " + e.getMessage(), 2);
        }
    }
}
