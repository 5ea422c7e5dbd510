package dev.mailsec.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.thirdparty.publicsuffix.PublicSuffixPatterns;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's opendmarc (1.4.2, a milter) as a DMARC peer: driven by miltertest (Lua) over a Unix
 * socket, in a network and mount namespace of its own ({@code opendmarc-peer.sh}) where dnsmasq
 * serves the test's zone on port 53. DKIM and SPF verdicts reach it as an Authentication-Results
 * field of a trusted authserv-id ({@code TrustedAuthservIDs}), as an MTA's verifiers would leave
 * them. With {@code RejectFailures} and {@code HoldQuarantinedMessages} its disposition shows as
 * the milter's reply: a reject, a quarantine request, or its own A-R's {@code dis=}.
 */
final class OpendmarcPeer {

    static final String TRUSTED_AUTHSERV_ID = "upstream.interop";

    /** One message for the peer: From field values, and the upstream A-R text ("" for none). */
    static final class Message {
        final List<String> fromFields;
        final String authResults;
        final String envelopeFrom;

        Message(List<String> fromFields, String authResults, String envelopeFrom) {
            this.fromFields = fromFields;
            this.authResults = authResults;
            this.envelopeFrom = envelopeFrom;
        }
    }

    private static final Pattern VERDICT =
            Pattern.compile("dmarc=(\\w+) (?:\\(p=(\\w+) dis=(\\w+)\\) )?header\\.from=");

    private OpendmarcPeer() {}

    /**
     * Each message's verdict as {@code "<result> p=<policy> dis=<disposition>"}, {@code "no
     * verdict"} when opendmarc added no A-R and took no action.
     */
    static List<String> verdicts(Path dir, List<String> zone, List<Message> messages)
            throws Exception {
        Files.write(dir.resolve("zone.args"), zone, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        Files.write(dir.resolve("psl.dat"), guavaPublicSuffixList(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ignore.hosts"), "198.18.0.1\n");
        Files.writeString(
                dir.resolve("opendmarc.conf"),
                String.join(
                        "\n",
                        "AuthservID mx.receiver.interop",
                        "TrustedAuthservIDs " + TRUSTED_AUTHSERV_ID,
                        "PublicSuffixList " + dir.resolve("psl.dat"),
                        "IgnoreHosts " + dir.resolve("ignore.hosts"),
                        "RejectFailures true",
                        "HoldQuarantinedMessages true",
                        "Background false",
                        "Syslog false",
                        ""));
        Files.writeString(dir.resolve("cases.lua"), lua(dir, messages));
        Path script = dir.resolve("opendmarc-peer.sh");
        try (InputStream in = OpendmarcPeer.class.getResourceAsStream("opendmarc-peer.sh")) {
            Files.copy(in, script);
        }
        Process p =
                new ProcessBuilder(
                                "unshare",
                                "--net",
                                "--mount",
                                "--pid",
                                "--fork",
                                "--kill-child",
                                "bash",
                                script.toString(),
                                dir.toString())
                        .redirectError(dir.resolve("peer.err").toFile())
                        .start();
        p.getOutputStream().close();
        List<String> verdicts = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("CASE\t")) {
                    verdicts.add(verdict(line.split("\t", 4)));
                }
            }
        }
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("peer.err"));
        assertThat(ended).as("opendmarc peer: %s", err).isTrue();
        assertThat(p.exitValue()).as("opendmarc peer: %s", err).isZero();
        assertThat(verdicts).as("opendmarc peer: %s", err).hasSize(messages.size());
        return verdicts;
    }

    /** CASE, the milter reply character code, quarantine requested, the A-R it added or "-". */
    private static String verdict(String[] f) {
        if (f[1].startsWith("121")) { // SMFIR_REPLYCODE: RejectFailures on a reject policy
            return "fail p=reject dis=reject";
        }
        if (f[3].equals("-")) {
            return "no verdict";
        }
        Matcher m = VERDICT.matcher(f[3]);
        if (!m.find()) {
            return "unread A-R: " + f[3];
        }
        // without a usable record (permerror) it writes no policy: none, as ours
        String p = m.group(2) == null ? "none" : m.group(2);
        String dis = f[2].equals("true") ? "quarantine" : m.group(3) == null ? "none" : m.group(3);
        return m.group(1) + " p=" + p + " dis=" + dis;
    }

    /**
     * The Public Suffix List our side uses (Guava's, see {@code Alignment}) in the file format
     * opendmarc reads: exact rules, {@code *.} rules and {@code !} exceptions, one a line.
     */
    static List<String> guavaPublicSuffixList() {
        TreeSet<String> lines = new TreeSet<>(PublicSuffixPatterns.EXACT.keySet());
        PublicSuffixPatterns.UNDER.keySet().forEach(s -> lines.add("*." + s));
        PublicSuffixPatterns.EXCLUDED.keySet().forEach(s -> lines.add("!" + s));
        return new ArrayList<>(lines);
    }

    private static String lua(Path dir, List<Message> messages) {
        String socket = "local:" + dir.resolve("milter.sock");
        StringBuilder s = new StringBuilder();
        s.append("mt.startfilter('/usr/sbin/opendmarc', '-f', '-c', ")
                .append(q(dir.resolve("opendmarc.conf").toString()))
                .append(", '-p', ")
                .append(q(socket))
                .append(")\n");
        s.append("function run(ar, env, froms)\n")
                .append("  local c = mt.connect(")
                .append(q(socket))
                .append(", 100, 0.1)\n")
                .append("  if c == nil then error('cannot connect to opendmarc') end\n")
                // not 127.0.0.1, which opendmarc ignores by default (IgnoreHosts)
                .append("  mt.conninfo(c, 'client.interop', '192.0.2.1')\n")
                .append("  mt.helo(c, 'client.interop')\n")
                .append("  mt.mailfrom(c, '<' .. env .. '>')\n")
                .append("  mt.rcptto(c, '<user@receiver.interop>')\n")
                .append("  if ar ~= '' then mt.header(c, 'Authentication-Results', ar) end\n")
                .append("  for _, f in ipairs(froms) do mt.header(c, 'From', f) end\n")
                .append("  mt.header(c, 'Subject', 'interop')\n")
                .append("  mt.eoh(c)\n")
                .append("  mt.eom(c)\n")
                .append("  local q = mt.eom_check(c, MT_QUARANTINE)\n")
                .append("  local h = mt.getheader(c, 'Authentication-Results', 0) or '-'\n")
                .append("  mt.echo('CASE\\t' .. tostring(mt.getreply(c)) .. '\\t'")
                .append(" .. tostring(q) .. '\\t' .. h)\n")
                .append("  mt.disconnect(c)\n")
                .append("end\n");
        for (Message m : messages) {
            s.append("run(").append(q(m.authResults)).append(", ").append(q(m.envelopeFrom));
            s.append(", {");
            for (String f : m.fromFields) {
                s.append(q(f)).append(", ");
            }
            s.append("})\n");
        }
        return s.toString();
    }

    /** A Lua long string: no escapes are interpreted inside it. */
    private static String q(String s) {
        assertThat(s).doesNotContain("]==]").doesNotContain("\n");
        return "[==[" + s + "]==]";
    }
}
