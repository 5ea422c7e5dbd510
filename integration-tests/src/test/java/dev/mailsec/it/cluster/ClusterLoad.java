package dev.mailsec.it.cluster;

import static dev.mailsec.it.load.LoadedJames.await;
import static dev.mailsec.it.load.LoadedJames.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.it.harness.InstalledJames;
import dev.mailsec.it.harness.SmtpSink;
import dev.mailsec.it.load.LoadDriver;
import dev.mailsec.it.load.LoadedJames;
import dev.mailsec.it.load.MailCount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link LoadDriver}'s mixed traffic into every node of the cluster at once (one driver per node,
 * its run named after the node: {@code pgA}, {@code pgB}), and the count out per node: each node's
 * mailboxes, repositories, queues and bounces, the shared remote sink, with the policy checks of
 * {@link MailCount} (outbound signed and verifying, protected bodies never in clear at the sink,
 * bank.test mail delivered only with {@code dkim=pass}). Held mail is sent back through each node's
 * WebAdmin as docs/faults.md tells operators, until everything is counted out.
 */
final class ClusterLoad {

    /**
     * Where the sample holds mail that waits for DKM or the rights store, and where it goes back.
     */
    static final Map<String, String> HOLDS =
            Map.of(
                    "var/mail/dkim-key-store-down", "relay",
                    "var/mail/rights-key-store-down", "root");

    private final Map<String, InstalledJames> nodes;
    private final Map<String, LoadDriver> drivers = new LinkedHashMap<>();
    private final Map<String, List<LoadDriver.Sent>> sent = new HashMap<>();
    private final SmtpSink sink;
    private final LoadDriver.Traffic traffic;
    private final Supplier<KeyRecordSource> keys;

    /**
     * @param nodes the nodes by run name (letters and digits: the run prefixes every Message-ID)
     * @param perNodeRate mails per second offered to each node, over two connections (one STARTTLS,
     *     one clear)
     * @param keys the DKIM records published so far (outbound mail must verify against them)
     */
    ClusterLoad(
            Map<String, InstalledJames> nodes,
            SmtpSink sink,
            LoadDriver.Traffic traffic,
            double perNodeRate,
            Supplier<KeyRecordSource> keys) {
        this.nodes = new LinkedHashMap<>(nodes);
        this.sink = sink;
        this.traffic = traffic;
        this.keys = keys;
        for (Map.Entry<String, InstalledJames> n : this.nodes.entrySet()) {
            drivers.put(
                    n.getKey(),
                    new LoadDriver(
                            "127.0.0.1",
                            n.getValue().smtpPort,
                            traffic,
                            2,
                            perNodeRate,
                            n.getKey()));
        }
    }

    void start() {
        drivers.values().forEach(LoadDriver::start);
    }

    /** Mails accepted so far, on every node. */
    int accepted() {
        return drivers.values().stream().mapToInt(d -> d.accepted().size()).sum();
    }

    /** Waits until {@code total} mails are accepted over all nodes. */
    void awaitAccepted(int total, Duration deadline) throws InterruptedException {
        await(accepted() + " of " + total + " mails accepted", deadline, () -> accepted() >= total);
    }

    /** Mail held now on the node, in both hold repositories. */
    long held(String node) {
        InstalledJames n = nodes.get(node);
        return HOLDS.keySet().stream()
                .mapToLong(r -> unchecked(() -> n.webAdmin().repositorySize(r)))
                .sum();
    }

    /** Held mail per node and repository, e.g. {@code pgA dkim 12, rights 9}. */
    String heldNow() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, InstalledJames> n : nodes.entrySet()) {
            out.add(
                    n.getKey()
                            + " dkim "
                            + size(n.getValue(), "var/mail/dkim-key-store-down")
                            + ", rights "
                            + size(n.getValue(), "var/mail/rights-key-store-down"));
        }
        return String.join("; ", out);
    }

    private static long size(InstalledJames n, String repository) {
        return unchecked(() -> n.webAdmin().repositorySize(repository));
    }

    /** Stops every driver; asserts no SMTP error (none refused: no fault is on the SMTP path). */
    void stop() throws InterruptedException {
        for (Map.Entry<String, LoadDriver> d : drivers.entrySet()) {
            sent.put(d.getKey(), d.getValue().stop());
            assertThat(d.getValue().errors()).as("SMTP errors on %s", d.getKey()).isEmpty();
        }
    }

    /** Stops every driver without waiting (a test that failed half-way). */
    void stopNow() {
        drivers.values().forEach(LoadDriver::stopNow);
    }

    /** Every mail accepted, all nodes. */
    int sent() {
        return sent.values().stream().mapToInt(List::size).sum();
    }

    /** (mail, recipient) pairs accepted, all nodes. */
    int pairs() {
        return sent.values().stream().mapToInt(s -> MailCount.expected(s).size()).sum();
    }

    /**
     * Reprocesses held mail on every node (when some is held) until every accepted (mail,
     * recipient) of every node is counted out exactly once, nothing held, queues empty, within
     * {@code deadline}; asserts that and no policy breach. Returns the counts per node and place.
     */
    String awaitCountedOut(Duration deadline) throws Exception {
        Instant end = Instant.now().plus(deadline);
        Map<String, MailCount> counts = new LinkedHashMap<>();
        Map<String, List<String>> diffs = new LinkedHashMap<>();
        while (true) {
            for (InstalledJames n : nodes.values()) {
                for (Map.Entry<String, String> hold : HOLDS.entrySet()) {
                    if (n.webAdmin().repositorySize(hold.getKey()) > 0) {
                        n.webAdmin().reprocessAll(hold.getKey(), hold.getValue());
                    }
                }
            }
            boolean done = true;
            for (String node : nodes.keySet()) {
                MailCount c = count(node);
                List<String> diff = c.differences(sent.get(node), node);
                counts.put(node, c);
                diffs.put(node, diff);
                done &= diff.isEmpty() && c.queued == 0 && c.held(node) == 0;
            }
            if (done || Instant.now().isAfter(end)) {
                break;
            }
            Thread.sleep(1000);
        }
        StringBuilder summary = new StringBuilder();
        for (String node : nodes.keySet()) {
            MailCount c = counts.get(node);
            assertThat(diffs.get(node))
                    .as(
                            "%s: count in %d (id|recipient) = count out; %s; James:%n%s",
                            node,
                            MailCount.expected(sent.get(node)).size(),
                            c.summary(node),
                            nodes.get(node).tail("james.out"))
                    .isEmpty();
            assertThat(c.queued).as("%s: mails left in queues", node).isZero();
            assertThat(c.held(node)).as("%s: mails left held", node).isZero();
            assertThat(c.violations).as("%s: policy breaches", node).isEmpty();
            summary.append(node)
                    .append(": in ")
                    .append(sent.get(node).size())
                    .append(" mails (")
                    .append(MailCount.expected(sent.get(node)).size())
                    .append(" id|recipient), out ")
                    .append(c.summary(node))
                    .append(". ");
        }
        return summary.toString().trim();
    }

    private MailCount count(String node) throws Exception {
        InstalledJames n = nodes.get(node);
        Map<String, LoadDriver.Sent> byId = new HashMap<>();
        for (LoadDriver.Sent s : sent.get(node)) {
            byId.put(s.id, s);
        }
        return MailCount.now(
                n.imapSession(),
                n.imapPort,
                LoadedJames.mailboxes(traffic),
                n.webAdmin(),
                sink,
                byId,
                keys.get(),
                Set.of());
    }
}
