package dev.mailsec.dkm.spi;

/** A conditional write: replace {@code key} if its revision is still {@code expectedRevision}. */
public final class Write {
    private final String key;
    private final long expectedRevision;
    private final byte[] value;

    public Write(String key, long expectedRevision, byte[] value) {
        if (key == null || key.isEmpty() || value == null || expectedRevision < 0) {
            throw new IllegalArgumentException("write needs a key, a value and a revision >= 0");
        }
        this.key = key;
        this.expectedRevision = expectedRevision;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public long expectedRevision() {
        return expectedRevision;
    }

    public byte[] value() {
        return value;
    }
}
