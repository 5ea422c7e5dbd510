package dev.mailsec.it.load;

import dev.mailsec.dkim.Alignment;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.it.harness.SmtpSink;
import dev.mailsec.it.harness.WebAdmin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.FetchProfile;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;

/**
 * Counts every mail of a {@link LoadDriver} run out of James, by (id, recipient): delivered to a
 * mailbox (IMAP), received by the remote sink, bounced (a delivery status notification in a
 * sender's mailbox naming the id), held in a mail repository (WebAdmin {@code /mailRepositories}),
 * plus what still waits in James's queues (WebAdmin {@code /mailQueues}). Checks on the way that
 * every mail that must be signed reached the sink with a DKIM signature that verifies against the
 * published records, that no protected mail's body marker reached the sink in clear, and that mail
 * from the domain that always signs reached a mailbox only with {@code dkim=pass} in its
 * Authentication-Results; and that mail reached the mailboxes of recipients whose certificate
 * policy encrypts to only S/MIME-encrypted ({@code application/pkcs7-mime}, its body marker not in
 * clear).
 */
public final class MailCount {

    private static final Pattern ID = Pattern.compile("<([A-Za-z0-9]+-\\d+)@load\\.mailsec>");
    private static final Pattern FINAL_RECIPIENT =
            Pattern.compile("(?im)^Final-Recipient:\\s*rfc822;\\s*<?([^>\\s]+)>?");

    /** Counted (id|recipient) -> where, for every mail of the run found anywhere. */
    public final Map<String, List<String>> places = new HashMap<>();

    /** Mails waiting in James's queues (spool, outgoing, ...). */
    public long queued;

    /** Policy breaches (unsigned or unverifiable outbound, protected content in clear). */
    public final List<String> violations = new ArrayList<>();

    /**
     * Every mail of a run held in a repository: (id|recipient) -> its repository, the
     * Authentication-Results it was held with, and WebAdmin's details (state, error, attributes).
     */
    public final Map<String, String> heldDetails = new LinkedHashMap<>();

    /** Mails of the run found S/MIME-encrypted in the mailboxes that must only get such mail. */
    public long smimeEncrypted;

    private MailCount() {}

    /**
     * Counts now.
     *
     * @param mailboxes every local user whose INBOX may hold mail of the run (password {@code
     *     secret})
     * @param keys the published DKIM records outbound signatures must verify against
     * @param encryptedOnly the mailboxes whose mail must arrive S/MIME-encrypted
     */
    public static MailCount now(
            Session imap,
            int imapPort,
            List<String> mailboxes,
            WebAdmin webAdmin,
            SmtpSink sink,
            Map<String, LoadDriver.Sent> sent,
            KeyRecordSource keys,
            Set<String> encryptedOnly)
            throws Exception {
        MailCount c = new MailCount();
        for (String user : mailboxes) {
            c.mailbox(imap, imapPort, user, sent, encryptedOnly.contains(user));
        }
        DkimVerifier verifier = new DkimVerifier(keys, DkimPolicy.defaults());
        for (SmtpSink.Received r : sink.received()) {
            Matcher m = ID.matcher(header(r.data, "Message-ID"));
            if (!m.find()) {
                continue;
            }
            String id = m.group(1);
            LoadDriver.Sent s = sent.get(id);
            for (String rcpt : r.recipients) {
                c.add(id, rcpt, "remote");
            }
            if (s == null) {
                continue;
            }
            if (s.mustBeSigned
                    && !verifier.verify(r.data.getBytes(StandardCharsets.ISO_8859_1))
                            .hasAlignedPass(Alignment.RELAXED)) {
                c.violations.add(id + " left without a verifying DKIM signature");
            }
            if (s.mustBeProtected && r.data.contains(s.secret())) {
                c.violations.add(id + " left with its protected body in clear");
            }
        }
        for (String path : webAdmin.repositoryPaths()) {
            for (String key : webAdmin.mailKeys(path)) {
                String message = webAdmin.mailMessage(path, key);
                Matcher m = ID.matcher(header(message, "Message-ID"));
                if (m.find()) {
                    String details =
                            "repository "
                                    + path
                                    + ", Authentication-Results: "
                                    + header(message, "Authentication-Results")
                                            .replaceAll("\\s+", " ")
                                    + ", WebAdmin: "
                                    + details(webAdmin, path, key);
                    for (String rcpt : webAdmin.mailRecipients(path, key)) {
                        c.add(m.group(1), rcpt, "repository " + path);
                        c.heldDetails.put(m.group(1) + "|" + rcpt.toLowerCase(), details);
                    }
                }
            }
        }
        for (String queue : webAdmin.queueNames()) {
            c.queued += webAdmin.queueSize(queue);
        }
        return c;
    }

    /** WebAdmin's details of a held mail; only for reading, so a refusal is shown, not thrown. */
    private static String details(WebAdmin webAdmin, String path, String key)
            throws InterruptedException {
        try {
            return webAdmin.mailDetails(path, key);
        } catch (IOException e) {
            return "(not given: " + e.getMessage() + ")";
        }
    }

    private void mailbox(
            Session imap,
            int port,
            String user,
            Map<String, LoadDriver.Sent> sent,
            boolean encryptedOnly)
            throws Exception {
        Store store = imap.getStore("imap");
        store.connect("127.0.0.1", port, user, "secret");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            FetchProfile fp = new FetchProfile();
            fp.add(FetchProfile.Item.ENVELOPE);
            fp.add("Message-ID");
            fp.add("Content-Type");
            fp.add("Authentication-Results");
            inbox.fetch(messages, fp);
            for (Message msg : messages) {
                String[] mid = msg.getHeader("Message-ID");
                Matcher own = ID.matcher(mid == null ? "" : mid[0]);
                if (own.find()) {
                    add(own.group(1), user, "mailbox");
                    LoadDriver.Sent s = sent.get(own.group(1));
                    String[] ar = msg.getHeader("Authentication-Results");
                    if (s != null
                            && s.mustPassDkim
                            && (ar == null || !String.join(" ", ar).contains("dkim=pass"))) {
                        violations.add(
                                own.group(1)
                                        + " delivered without dkim=pass: "
                                        + (ar == null ? "no Authentication-Results" : ar[0]));
                    }
                    if (s != null && encryptedOnly) {
                        encryptedOnly(user, s, msg);
                    }
                    continue;
                }
                String type = String.valueOf(msg.getContentType()).toLowerCase();
                if (type.startsWith("multipart/report")) {
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    msg.writeTo(raw);
                    String text = raw.toString(StandardCharsets.ISO_8859_1);
                    Matcher bounced = ID.matcher(text);
                    Matcher rcpt = FINAL_RECIPIENT.matcher(text);
                    if (bounced.find() && rcpt.find()) {
                        add(bounced.group(1), rcpt.group(1).toLowerCase(), "bounce");
                    }
                }
            }
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    private void encryptedOnly(String user, LoadDriver.Sent s, Message msg) throws Exception {
        String type = String.valueOf(msg.getContentType()).toLowerCase();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        msg.writeTo(raw);
        if (!type.startsWith("application/pkcs7-mime")
                || raw.toString(StandardCharsets.ISO_8859_1).contains(s.secret())) {
            violations.add(s.id + " reached " + user + " not S/MIME-encrypted: " + type);
        } else {
            smimeEncrypted++;
        }
    }

    private void add(String id, String recipient, String place) {
        places.computeIfAbsent(id + "|" + recipient.toLowerCase(), k -> new ArrayList<>())
                .add(place);
    }

    /** The value of the first header field of that name in a raw message ("" if none). */
    private static String header(String raw, String name) {
        Matcher m =
                Pattern.compile("(?im)^" + Pattern.quote(name) + ":[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)")
                        .matcher(raw);
        int end = raw.indexOf("\r\n\r\n");
        return m.find() && (end < 0 || m.start() < end) ? m.group(1) : "";
    }

    /** (id|recipient) of every mail accepted in the run. */
    public static Map<String, String> expected(List<LoadDriver.Sent> sent) {
        Map<String, String> in = new HashMap<>();
        for (LoadDriver.Sent s : sent) {
            for (String r : s.recipients) {
                in.put(s.id + "|" + r.toLowerCase(), s.id);
            }
        }
        return in;
    }

    /**
     * Counted once each, and nothing else of this run: the differences, empty when count in = count
     * out.
     */
    public List<String> differences(List<LoadDriver.Sent> sent, String run) {
        Map<String, String> in = expected(sent);
        List<String> diff = new ArrayList<>();
        for (String key : in.keySet()) {
            List<String> where = places.get(key);
            if (where == null) {
                diff.add("missing " + key);
            } else if (where.size() > 1) {
                diff.add("counted " + where.size() + " times " + key + " " + where);
            }
        }
        for (String key : places.keySet()) {
            if (key.startsWith(run + "-") && !in.containsKey(key)) {
                diff.add("not sent but found " + key + " " + places.get(key));
            }
        }
        return diff;
    }

    /** Mails of the run still held in a repository. */
    public long held(String run) {
        return places.entrySet().stream()
                .filter(e -> e.getKey().startsWith(run + "-"))
                .flatMap(e -> e.getValue().stream())
                .filter(p -> p.startsWith("repository "))
                .count();
    }

    /** Mails of the run counted per place: mailbox, remote, bounce, repository PATH. */
    public Map<String, Integer> byPlace(String run) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        places.entrySet().stream()
                .filter(e -> e.getKey().startsWith(run + "-"))
                .flatMap(e -> e.getValue().stream())
                .forEach(p -> counts.merge(p, 1, Integer::sum));
        return counts;
    }

    /** The details of every mail of the run held in a repository, one per line. */
    public String heldDetails(String run) {
        StringBuilder b = new StringBuilder();
        heldDetails.forEach(
                (k, v) -> {
                    if (k.startsWith(run + "-")) {
                        b.append(k).append(": ").append(v).append('\n');
                    }
                });
        return b.toString();
    }

    /** What was counted of the run, per place, and the queues. */
    public String summary(String run) {
        return byPlace(run) + ", queued " + queued;
    }
}
