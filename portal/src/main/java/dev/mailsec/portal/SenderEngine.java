package dev.mailsec.portal;

import dev.mailsec.portal.PortalEngine.CodeCheck;
import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.LicenceTerms;
import dev.mailsec.rights.Revocation;
import java.util.List;
import java.util.Optional;

/**
 * What the portal's sender pages need from the rights engine: the sender's own passcode (the
 * readers' rules, limits and lock-out, in a scope of its own), the messages the sender protected,
 * one message's access log, and revocation. Every method that takes {@code sender} answers only for
 * messages whose recorded sender is that address; any other message is {@link
 * PortalRefusal.Reason#UNKNOWN}, as if it did not exist. Each call is logged by the engine.
 */
public interface SenderEngine {

    /**
     * Issues a passcode for the sender pages. Empty when the address protected no message: the
     * portal then answers as if a code had been sent, so the page does not tell who is a sender.
     */
    Optional<String> issueSenderPasscode(String address, String client) throws PortalRefusal;

    /** Checks (and on success consumes) a passcode of the sender pages. */
    CodeCheck checkSenderPasscode(String address, String code, String client) throws PortalRefusal;

    /** Page {@code page} (0: newest) of the sender's messages; logged as a listing. */
    SentPage sent(String sender, int page, String client) throws PortalRefusal;

    /** One of the sender's messages with its access log; logged in that message's access log. */
    SentDetail sentMessage(String sender, String licenceId, String client) throws PortalRefusal;

    /**
     * Revokes one of the sender's messages with a reason, logged as the sender from the portal.
     * Revoking a revoked message changes nothing.
     */
    void revokeAsSender(String sender, String licenceId, String reason, String client)
            throws PortalRefusal;

    /** One message as the sender sees it in the list: the recorded terms and revocation. */
    final class SentMessage {
        private final LicenceTerms terms;
        private final Revocation revocation;

        public SentMessage(LicenceTerms terms, Revocation revocation) {
            this.terms = terms;
            this.revocation = revocation;
        }

        public LicenceTerms terms() {
            return terms;
        }

        public Optional<Revocation> revocation() {
            return Optional.ofNullable(revocation);
        }
    }

    /** A page of the sender's messages, newest first. */
    final class SentPage {
        private final List<SentMessage> messages;
        private final int page;
        private final int pages;
        private final long total;

        public SentPage(List<SentMessage> messages, int page, int pages, long total) {
            this.messages = List.copyOf(messages);
            this.page = page;
            this.pages = pages;
            this.total = total;
        }

        public List<SentMessage> messages() {
            return messages;
        }

        public int page() {
            return page;
        }

        public int pages() {
            return pages;
        }

        public long total() {
            return total;
        }
    }

    /** One message and its access log (the newest {@link #MAX_EVENTS} events, oldest first). */
    final class SentDetail {
        /** Most access-log events one page shows. */
        public static final int MAX_EVENTS = 200;

        private final SentMessage message;
        private final List<AccessEvent> events;
        private final int omitted;

        public SentDetail(SentMessage message, List<AccessEvent> events) {
            this.message = message;
            int from = Math.max(0, events.size() - MAX_EVENTS);
            this.events = List.copyOf(events.subList(from, events.size()));
            this.omitted = from;
        }

        public SentMessage message() {
            return message;
        }

        public List<AccessEvent> events() {
            return events;
        }

        /** Older events not shown. */
        public int omitted() {
            return omitted;
        }
    }
}
