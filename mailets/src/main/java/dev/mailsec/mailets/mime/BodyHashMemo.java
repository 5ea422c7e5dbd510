package dev.mailsec.mailets.mime;

import dev.mailsec.dkim.BodyHashes;
import java.util.Map;
import java.util.WeakHashMap;
import javax.mail.internet.MimeMessage;
import org.apache.james.server.core.MimeMessageWrapper;

/**
 * The body hashes of mails in flight, shared by the pack's verifiers ({@code VerifyDkim}, {@code
 * VerifyArc}) so that a pipeline running both hashes each body once: the first hands what it
 * computed to the next. Keyed on the message object itself (weakly: a message James let go drops
 * its entry), never serialized with the mail. Only a James {@code MimeMessageWrapper} whose body is
 * not modified takes part: its {@code writeTo} then copies the body byte for byte from the stored
 * source, so the hashes still hold; a mailet that changes the body ({@code setContent}) or replaces
 * the message ends the sharing, and the next verifier hashes again. Bounded: at most {@value
 * #MAX_MESSAGES} messages (emptied when full) of at most {@link BodyHashes#MAX} small hashes each.
 * Thread-safe.
 */
public final class BodyHashMemo {
    static final int MAX_MESSAGES = 1000;

    private static final Map<MimeMessage, BodyHashes> MEMO = new WeakHashMap<>();

    private BodyHashMemo() {}

    /** What is known of this message's body, {@link BodyHashes#NONE} when nothing (or changed). */
    public static BodyHashes get(MimeMessage message) {
        if (!bodyAsStored(message)) {
            return BodyHashes.NONE;
        }
        synchronized (MEMO) {
            return MEMO.getOrDefault(message, BodyHashes.NONE);
        }
    }

    /**
     * Remembers the body hashes a verifier computed over this message as it was written ({@code
     * writeTo}); they include what {@link #get} gave it.
     */
    public static void put(MimeMessage message, BodyHashes hashes) {
        if (hashes.size() == 0 || !bodyAsStored(message)) {
            return;
        }
        synchronized (MEMO) {
            if (MEMO.size() >= MAX_MESSAGES && !MEMO.containsKey(message)) {
                MEMO.clear();
            }
            MEMO.put(message, hashes);
        }
    }

    /** How many messages are remembered (for tests). */
    static int size() {
        synchronized (MEMO) {
            return MEMO.size();
        }
    }

    private static boolean bodyAsStored(MimeMessage message) {
        if (!(message instanceof MimeMessageWrapper)) {
            return false;
        }
        MimeMessageWrapper m = (MimeMessageWrapper) message;
        return m.getSourceId() != null && !m.isBodyModified();
    }
}
