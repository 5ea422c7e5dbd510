package dev.mailsec.dkm.spi;

/** One stored record: key, revision (1 = first write) and the encoded bytes. */
public final class StoredRecord {
    private final String key;
    private final long revision;
    private final byte[] value;

    public StoredRecord(String key, long revision, byte[] value) {
        this.key = key;
        this.revision = revision;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public long revision() {
        return revision;
    }

    public byte[] value() {
        return value;
    }

    @Override
    public String toString() {
        return "StoredRecord[" + key + " rev " + revision + ", " + value.length + " bytes]";
    }
}
