package dev.mailsec.rights;

import javax.mail.internet.MimeMessage;

/**
 * A protected message opened for a party: its licence and the original bytes, exactly as protected.
 */
public final class OpenedMessage {
    private final UseLicence licence;
    private final byte[] raw;
    private final MimeMessage message;

    OpenedMessage(UseLicence licence, byte[] raw, MimeMessage message) {
        this.licence = licence;
        this.raw = raw;
        this.message = message;
    }

    public UseLicence licence() {
        return licence;
    }

    /** The complete original RFC 5322 message (a copy). */
    public byte[] raw() {
        return raw.clone();
    }

    /** The original parsed (a fresh session-less MimeMessage over {@link #raw()}). */
    public MimeMessage message() {
        return message;
    }

    @Override
    public String toString() {
        return "OpenedMessage[" + licence.licenceId() + ", " + raw.length + " bytes]";
    }
}
