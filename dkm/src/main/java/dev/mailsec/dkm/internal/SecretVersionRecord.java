package dev.mailsec.dkm.internal;

import dev.mailsec.dkm.VersionState;
import java.util.ArrayList;
import java.util.List;

/**
 * One version of a secret: data key wrapped by a group keyset version, value under the data key.
 */
public final class SecretVersionRecord {
    public int version;
    public VersionState state;
    public long createdAt;
    public int groupKeyVersion;
    public byte[] wrappedDataKey;
    public byte[] ciphertext;
    public String algorithm;
    public byte[] publicKey;
    public List<byte[]> certificates = new ArrayList<>();
}
