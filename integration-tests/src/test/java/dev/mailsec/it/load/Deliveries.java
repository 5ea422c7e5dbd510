package dev.mailsec.it.load;

import dev.mailsec.it.harness.InstalledJames;
import dev.mailsec.it.harness.SmtpSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.FetchProfile;
import javax.mail.Flags;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;

/**
 * Where each mail of a {@link LoadDriver} run arrived and when: the local INBOXes over IMAP (James
 * sets INTERNALDATE at append, one-second resolution) and the remote sink (end of DATA there).
 */
final class Deliveries {

    private static final Pattern ID = Pattern.compile("<([A-Za-z0-9]+)-(\\d+)@load\\.mailsec>");

    private Deliveries() {}

    /** (id|recipient) -> INTERNALDATE in ms of every mail of the run in the users' INBOXes. */
    static Map<String, Long> local(InstalledJames james, List<String> users, String run)
            throws Exception {
        return local(james, users, run, false);
    }

    /**
     * The same, and with {@code expunge} the run's mails found are deleted from the INBOXes
     * (James's memory mailbox keeps every mail in its heap; a long ramp would fill it).
     */
    static Map<String, Long> local(
            InstalledJames james, List<String> users, String run, boolean expunge)
            throws Exception {
        Map<String, Long> out = new HashMap<>();
        Session session = james.imapSession();
        for (String user : users) {
            Store store = session.getStore("imap");
            store.connect("127.0.0.1", james.imapPort, user, "secret");
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(expunge ? Folder.READ_WRITE : Folder.READ_ONLY);
                Message[] messages = inbox.getMessages();
                FetchProfile fp = new FetchProfile();
                fp.add(FetchProfile.Item.ENVELOPE);
                fp.add("Message-ID");
                inbox.fetch(messages, fp);
                for (Message msg : messages) {
                    String[] ids = msg.getHeader("Message-ID");
                    Matcher m = ID.matcher(ids == null ? "" : ids[0]);
                    if (m.find() && m.group(1).equals(run)) {
                        out.put(
                                run + "-" + m.group(2) + "|" + user,
                                msg.getReceivedDate().getTime());
                        if (expunge) {
                            msg.setFlag(Flags.Flag.DELETED, true);
                        }
                    }
                }
                inbox.close(expunge);
            } finally {
                store.close();
            }
        }
        return out;
    }

    /** (id|recipient) -> end of DATA at the sink, ms, of every mail of the run. */
    static Map<String, Long> remote(SmtpSink sink, String run) {
        Map<String, Long> out = new HashMap<>();
        for (SmtpSink.Received r : sink.received()) {
            int at = r.data.toLowerCase(Locale.ROOT).indexOf("\nmessage-id:");
            Matcher m =
                    ID.matcher(
                            at < 0
                                    ? ""
                                    : r.data.substring(at, Math.min(r.data.length(), at + 200)));
            if (m.find() && m.group(1).equals(run)) {
                for (String rcpt : r.recipients) {
                    out.putIfAbsent(run + "-" + m.group(2) + "|" + rcpt, r.receivedAtMillis);
                }
            }
        }
        return out;
    }

    /** The p-th percentile (nearest rank) of the values; NaN when there are none. */
    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
