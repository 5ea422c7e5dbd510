package dev.mailsec.dkim.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight-bytes-at-a-time tests ("SIMD within a register") for the body canonicalisers: a word of
 * ordinary text is recognised with a few arithmetic operations and no data-dependent branch, which
 * matters because text has a space every few bytes.
 */
final class Swar {

    /** Reads a little-endian long at any byte offset of a byte[]. */
    static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static final long SPACES = 0x2020202020202020L;
    static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    static final long TABS = 0x0909090909090909L;
    static final long HIGH = 0x8080808080808080L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long ONES = 0x0101010101010101L;

    private Swar() {}

    static long get(byte[] b, int i) {
        return (long) LONG.get(b, i);
    }

    /**
     * 0x80 in each byte of x equal to the byte repeated in {@code pattern}, 0 elsewhere (exact).
     */
    static long eq(long x, long pattern) {
        long y = x ^ pattern;
        return ~(((y & LOW7) + LOW7) | y | LOW7);
    }

    /**
     * 0x80 in each byte of x below {@code n} (1..128), 0 elsewhere; bytes 0x80 and above never
     * count (exact).
     */
    static long below(long x, int n) {
        return ~(((x & LOW7) + (0x80 - n) * ONES) | x) & HIGH;
    }
}
