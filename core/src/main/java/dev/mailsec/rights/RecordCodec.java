package dev.mailsec.rights;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How one kind of rights-store record is kept as bytes: a small JSON object, written and read by
 * the record's own value class. The static helpers are the one place that turns JSON into fields,
 * so that no record is handled as an untyped map outside its codec.
 */
interface RecordCodec<T> {

    byte[] encode(T value);

    /**
     * @param key the record's key, for the message when the bytes are not a record of this kind
     */
    T decode(String key, byte[] bytes);

    static Map<String, Object> parse(String key, byte[] bytes) {
        try {
            return JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalStateException("rights store record " + key + " is corrupt", e);
        }
    }

    static byte[] json(Map<String, Object> m) {
        return JSONObjectUtils.toJSONString(m).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof Collection
                ? new ArrayList<>((Collection<Object>) o)
                : new ArrayList<>();
    }

    static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object x : list(o)) {
            out.add(str(x));
        }
        return out;
    }

    static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    static long num(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : Long.parseLong(String.valueOf(o));
    }

    /** A number, or 0 when the field is missing. */
    static long num0(Object o) {
        return o == null ? 0 : num(o);
    }
}
