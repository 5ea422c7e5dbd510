package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Codec;
import dev.mailsec.dkm.internal.GrantRecord;
import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.MetaRecord;
import dev.mailsec.dkm.internal.Records;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.spi.StoredRecord;
import java.util.regex.Pattern;

/**
 * One kind of store record: where it lives (key prefix), how it is decoded and encoded, and what
 * "not found" says. {@link RecordRepository} reads and writes every record through one of these.
 */
final class RecordType<T> {
    static final Pattern IDENTITY_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    static final RecordType<MetaRecord> META =
            new RecordType<>(null, "store", null, true, MetaRecord::decode, MetaRecord::encode);
    static final RecordType<IdentityRecord> IDENTITY =
            new RecordType<>(
                    "identity/",
                    "identity",
                    IDENTITY_NAME,
                    true,
                    IdentityRecord::decode,
                    IdentityRecord::encode);
    static final RecordType<GroupRecord> GROUP =
            new RecordType<>(
                    "group/", "group", null, false, GroupRecord::decode, GroupRecord::encode);
    static final RecordType<SecretRecord> SECRET =
            new RecordType<>(
                    "secret/",
                    "secret",
                    null,
                    false,
                    SecretRecord::decode,
                    s -> {
                        SecretVersions.validate(s);
                        return s.encode();
                    });
    static final RecordType<GrantRecord> GRANT =
            new RecordType<>(
                    "grant/", "request", null, false, GrantRecord::decode, GrantRecord::encode);

    interface Decoder<T> {
        T decode(byte[] body) throws Codec.MalformedException;
    }

    interface Encoder<T> {
        byte[] encode(T value) throws DkmException;
    }

    /** Key prefix; null for the single {@code meta} record. */
    final String prefix;

    private final String noun;
    private final Pattern validName;

    /** Meta and identities are also read unchecked (at open, to find the keys that check them). */
    private final boolean mayBeRaw;

    private final Decoder<T> decoder;
    private final Encoder<T> encoder;

    private RecordType(
            String prefix,
            String noun,
            Pattern validName,
            boolean mayBeRaw,
            Decoder<T> decoder,
            Encoder<T> encoder) {
        this.prefix = prefix;
        this.noun = noun;
        this.validName = validName;
        this.mayBeRaw = mayBeRaw;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /** The record key of {@code name}, or null when no record can have that name. */
    String key(String name) {
        if (prefix == null) {
            return Records.META;
        }
        if (name == null || validName != null && !validName.matcher(name).matches()) {
            return null;
        }
        return prefix + name;
    }

    DkmInvalidRequestException notFound(String name) {
        if (prefix == null) {
            return new DkmInvalidRequestException("store is not initialised");
        }
        return new DkmNotFoundException(noun + ": no such " + noun + " '" + name + "'");
    }

    T decode(StoredRecord r) throws DkmIntegrityException {
        try {
            return decoder.decode(mayBeRaw ? AuthenticatedStorage.body(r) : r.value());
        } catch (Codec.MalformedException e) {
            throw new DkmIntegrityException(
                    "record " + r.key() + " is malformed: " + e.getMessage(), e);
        }
    }

    byte[] encode(T value) throws DkmException {
        return encoder.encode(value);
    }
}
