package dev.mailsec.dkm.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Length-prefixed binary encoding of the store's records; every read is bounds-checked. */
public final class Codec {
    private Codec() {}

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Associated data for AEAD: the parts joined with NUL, which no name may contain. */
    public static byte[] aad(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('\0');
            }
            sb.append(parts[i]);
        }
        return utf8(sb.toString());
    }

    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        public Writer i32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        public Writer i64(long v) {
            i32((int) (v >>> 32));
            return i32((int) v);
        }

        public Writer bool(boolean b) {
            out.write(b ? 1 : 0);
            return this;
        }

        public Writer bytes(byte[] b) {
            if (b == null) {
                return i32(-1);
            }
            i32(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        public Writer str(String s) {
            return bytes(s == null ? null : utf8(s));
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    public static final class Reader {
        private final byte[] buf;
        private int pos;

        public Reader(byte[] buf) {
            this.buf = buf;
        }

        public int i32() throws MalformedException {
            need(4);
            int v =
                    ((buf[pos] & 0xff) << 24)
                            | ((buf[pos + 1] & 0xff) << 16)
                            | ((buf[pos + 2] & 0xff) << 8)
                            | (buf[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        public long i64() throws MalformedException {
            long hi = i32() & 0xffffffffL;
            long lo = i32() & 0xffffffffL;
            return (hi << 32) | lo;
        }

        public boolean bool() throws MalformedException {
            need(1);
            return buf[pos++] != 0;
        }

        public byte[] bytes() throws MalformedException {
            int n = i32();
            if (n == -1) {
                return null;
            }
            if (n < 0) {
                throw new MalformedException("negative length");
            }
            need(n);
            byte[] b = new byte[n];
            System.arraycopy(buf, pos, b, 0, n);
            pos += n;
            return b;
        }

        public String str() throws MalformedException {
            byte[] b = bytes();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }

        public boolean hasMore() {
            return pos < buf.length;
        }

        private void need(int n) throws MalformedException {
            if (n > buf.length - pos) {
                throw new MalformedException("record truncated");
            }
        }
    }

    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }

    /** Lower-case hexadecimal of {@code b} (the one hex encoder of the key manager). */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16))
                    .append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
