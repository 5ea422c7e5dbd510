package dev.mailsec.tls.published;

import java.util.Locale;

/** One line of {@code mailsec tls check --inbound}: what was checked and how it went. */
public final class InboundFinding {

    /** OK passes, WARN passes but needs attention, FAIL is what a sender would hold against us. */
    public enum Level {
        OK,
        WARN,
        FAIL
    }

    private final Level level;
    private final String topic;
    private final String text;

    InboundFinding(Level level, String topic, String text) {
        this.level = level;
        this.topic = topic;
        this.text = text;
    }

    public Level level() {
        return level;
    }

    /** What was checked: {@code _mta-sts}, {@code policy}, {@code mx}, an MX host, ... */
    public String topic() {
        return topic;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%-4s %-24s %s", level.name(), topic, text);
    }
}
