package dev.mailsec.rights;

import java.util.List;

/** One page of the messages a sender protected, newest first ({@link RightsStore#sentBy}). */
public final class SentMessages {
    private final List<StoredMessage> messages;
    private final int page;
    private final int pages;
    private final long total;

    SentMessages(List<StoredMessage> messages, int page, int pages, long total) {
        this.messages = List.copyOf(messages);
        this.page = page;
        this.pages = pages;
        this.total = total;
    }

    /** This page's messages, newest first (at most {@link RightsStore#SENT_PAGE_SIZE}). */
    public List<StoredMessage> messages() {
        return messages;
    }

    /** This page's number, 0 for the newest messages. */
    public int page() {
        return page;
    }

    /** How many pages the sender's list has. */
    public int pages() {
        return pages;
    }

    /** How many messages the sender protected. */
    public long total() {
        return total;
    }

    @Override
    public String toString() {
        return "SentMessages[page " + page + " of " + pages + ", " + messages.size() + "]";
    }
}
