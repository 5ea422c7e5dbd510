package dev.mailsec.cli.dkim;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkim.DnsKeyRecordSource;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dns.DnsServers;
import dev.mailsec.spf.DnsjavaSpfDns;
import dev.mailsec.spf.SpfDns;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a command reads DKIM key records: {@code --zone FILE} (the BIND format {@code VerifyDkim}'s
 * {@code zoneFile} reads) or DNS ({@code --dns SERVERS}, {@code --dns-timeout-ms}). A picocli mixin
 * shared by {@code dkim verify} and {@code check}.
 */
public final class KeyRecordOptions {

    @Option(
            names = "--zone",
            paramLabel = "FILE",
            description = "Take key records from this BIND zone file instead of DNS.")
    Path zone;

    @Option(
            names = "--dns",
            paramLabel = "SERVERS",
            description =
                    "DNS servers (IP[:port], comma separated); default: the system's resolvers.")
    String dnsServers;

    @Option(
            names = "--dns-timeout-ms",
            paramLabel = "MS",
            defaultValue = "5000",
            description = "DNS query timeout per server (default: ${DEFAULT-VALUE}).")
    long dnsTimeoutMillis;

    /** True when {@code --zone} was given. */
    public boolean hasZone() {
        return zone != null;
    }

    /** Where records come from, for messages: {@code zone FILE} or {@code DNS}. */
    public String describe() {
        return zone != null ? "zone " + zone : "DNS";
    }

    /**
     * The record source the options name; a bad option is a {@link UserException} with exit status
     * 2.
     */
    public KeyRecordSource source() {
        if (zone != null) {
            return loadZone(zone, dnsServers != null, "--dns", ZoneFileKeyRecordSource::load);
        }
        try {
            DnsKeyRecordSource.Builder b =
                    DnsKeyRecordSource.builder().timeout(Duration.ofMillis(dnsTimeoutMillis));
            if (dnsServers != null) {
                b.servers(dnsServers);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UserException("--dns: " + e.getMessage(), 2);
        }
    }

    /**
     * The same records for the SPF engine ({@code mailsec dmarc check --ip}): the zone file, or DNS
     * with the same servers and timeout; a bad option is a {@link UserException}.
     */
    public SpfDns spfDns() {
        source(); // the same checks and messages
        if (zone != null) {
            return loadZone(zone, dnsServers != null, "--dns", ZoneFileSpfDns::load);
        }
        try {
            return new DnsjavaSpfDns(
                    dnsServers == null ? List.of() : DnsServers.parse(dnsServers),
                    Duration.ofMillis(dnsTimeoutMillis),
                    1000,
                    Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new UserException("--dns: " + e.getMessage(), 2);
        }
    }

    /** Reads a zone file into a source. */
    @FunctionalInterface
    public interface ZoneLoader<T> {
        T load(Path zone) throws IOException;
    }

    /**
     * The source {@code --zone FILE} names, read by {@code loader}; {@code --zone} given with the
     * DNS servers option {@code dnsOption}, a missing, unreadable or bad file are a {@link
     * UserException} with exit status 2. Shared with {@code spf check}.
     */
    public static <T> T loadZone(
            Path zone, boolean dnsGiven, String dnsOption, ZoneLoader<T> loader) {
        if (dnsGiven) {
            throw new UserException("--zone and " + dnsOption + " exclude each other", 2);
        }
        try {
            return loader.load(zone);
        } catch (NoSuchFileException e) {
            throw new UserException("no such zone file: " + zone, 2);
        } catch (IOException e) {
            throw new UserException("cannot read zone file " + zone + ": " + e.getMessage(), 2);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }
}
