package dev.mailsec.dkm.internal;

/**
 * The store's record keys and what every record encoding shares: the format number that leads each
 * record (so the format can evolve), map keys that must have a name, enum fields. The records
 * themselves are {@link MetaRecord}, {@link IdentityRecord}, {@link GroupRecord}, {@link Keyset} (a
 * group keyset's plaintext), {@link SecretRecord} with its {@link SecretVersionRecord}s, and {@link
 * GrantRecord}. Encrypted fields are opaque there; the key manager's {@code Envelope} is the single
 * place that creates and opens them.
 */
public final class Records {
    static final int FORMAT = 1;

    private Records() {}

    public static final String META = "meta";

    public static String identityKey(String name) {
        return "identity/" + name;
    }

    public static String groupKey(String name) {
        return "group/" + name;
    }

    public static String secretKey(String name) {
        return "secret/" + name;
    }

    public static String grantKey(String id) {
        return "grant/" + id;
    }

    static void header(Codec.Reader r) throws Codec.MalformedException {
        int f = r.i32();
        if (f != FORMAT) {
            throw new Codec.MalformedException("unknown record format " + f);
        }
    }

    /**
     * A map key: a null (length -1) one would make TreeMap throw NullPointerException, not a
     * malformed record.
     */
    static String name(Codec.Reader r, String what) throws Codec.MalformedException {
        String n = r.str();
        if (n == null) {
            throw new Codec.MalformedException(what + " without a name");
        }
        return n;
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String name)
            throws Codec.MalformedException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Codec.MalformedException(
                    "unknown " + type.getSimpleName() + " '" + name + "'");
        }
    }
}
