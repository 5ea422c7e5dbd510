package dev.mailsec.dkm.internal;

import java.util.Map;
import java.util.TreeMap;

/** The plaintext of a group keyset: version number to 256-bit key. */
public final class Keyset {
    public final Map<Integer, byte[]> keys = new TreeMap<>();

    public byte[] encode() {
        Codec.Writer w = new Codec.Writer().i32(keys.size());
        for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
            w.i32(e.getKey()).bytes(e.getValue());
        }
        return w.toByteArray();
    }

    public static Keyset decode(byte[] b) throws Codec.MalformedException {
        Codec.Reader r = new Codec.Reader(b);
        Keyset k = new Keyset();
        int n = r.i32();
        for (int i = 0; i < n; i++) {
            k.keys.put(r.i32(), r.bytes());
        }
        return k;
    }
}
