package dev.mailsec.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The zone data of one scenario of the RFC 7208 test suite, answered as the suite's own driver
 * (pyspf's testspf.py) answers it: SPF records stand in for TXT when a name has no TXT, a bare
 * {@code TIMEOUT} times out queries of types not answered before it, names starting with {@code
 * error.} time out, a label over 63 characters is a DNS error, empty labels are dropped.
 */
final class SuiteDns implements SpfDns {

    private final Map<String, List<Object>> zone;

    SuiteDns(Map<String, List<Object>> zone) {
        this.zone = zone;
    }

    @Override
    public Answer query(String name, Type type) {
        return query(name, type, 0);
    }

    @SuppressWarnings("unchecked")
    private Answer query(String name, Type type, int level) {
        List<String> labels = new ArrayList<>();
        for (String label : name.split("\\.")) {
            if (label.length() > 63) {
                return Answer.temporaryFailure("label too long");
            }
            if (!label.isEmpty()) {
                labels.add(label);
            }
        }
        String key = String.join(".", labels).toLowerCase(Locale.ROOT);
        List<Object> entries = null;
        for (Map.Entry<String, List<Object>> e : zone.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(key)) {
                entries = e.getValue();
            }
        }
        if (entries == null) {
            return key.startsWith("error.")
                    ? Answer.temporaryFailure("timeout")
                    : Answer.nxdomain();
        }
        boolean hasTxt = false;
        for (Object o : entries) {
            if (o instanceof Map && ((Map<String, Object>) o).containsKey("TXT")) {
                hasTxt = true;
            }
        }
        List<String> data = new ArrayList<>();
        for (Object o : entries) {
            if ("TIMEOUT".equals(o)) {
                if (data.isEmpty()) {
                    return Answer.temporaryFailure("timeout");
                }
                break;
            }
            if (!(o instanceof Map)) {
                continue;
            }
            for (Map.Entry<String, Object> rr : ((Map<String, Object>) o).entrySet()) {
                String t = rr.getKey();
                Object v = rr.getValue();
                if (t.equals("CNAME") && level == 0) {
                    Answer followed = query(String.valueOf(v), type, 1);
                    if (followed.status() == Status.TEMPORARY_FAILURE) {
                        return followed;
                    }
                    data.addAll(followed.data());
                    continue;
                }
                boolean asked =
                        t.equals(type.name()) || (type == Type.TXT && t.equals("SPF") && !hasTxt);
                if (!asked) {
                    continue;
                }
                if ("TIMEOUT".equals(v)) {
                    return Answer.temporaryFailure("timeout");
                }
                if ("NONE".equals(v)) {
                    continue;
                }
                data.add(value(type, v));
            }
        }
        return Answer.of(data);
    }

    @SuppressWarnings("unchecked")
    private static String value(Type type, Object v) {
        if (type == Type.MX) {
            List<Object> mx = (List<Object>) v;
            return String.valueOf(mx.get(1));
        }
        if (v instanceof List) {
            StringBuilder sb = new StringBuilder();
            for (Object part : (List<Object>) v) {
                sb.append(part);
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }
}
