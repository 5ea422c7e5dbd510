package dev.mailsec.dkim.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the data a DKIM signature covers (RFC 6376 section 3.7): the header fields named in h=,
 * each picked from the bottom up, canonicalised, then the DKIM-Signature field itself with its b=
 * value emptied and no final CRLF. A name listed more often than the field occurs stands for an
 * absent field and adds nothing (over-signing).
 */
public final class HeaderHashInput {

    private final List<HeaderField> fields;
    private final Map<String, List<Integer>> index = new HashMap<>();

    public HeaderHashInput(List<HeaderField> fields) {
        this.fields = fields;
        for (int i = 0; i < fields.size(); i++) {
            index.computeIfAbsent(fields.get(i).lowerName(), k -> new ArrayList<>(1)).add(i);
        }
    }

    /** Fields with this (lower-case) name, top to bottom. */
    public List<HeaderField> named(String lowerName) {
        List<Integer> positions = index.get(lowerName);
        List<HeaderField> out = new ArrayList<>();
        if (positions != null) {
            for (int p : positions) {
                out.add(fields.get(p));
            }
        }
        return out;
    }

    /**
     * The signed data for a signature field {@code self} (or its text to be, when signing) with the
     * b= value already empty or about to be emptied.
     */
    public byte[] data(
            List<String> signedHeaders, String selfRaw, int selfColon, Canonicalization c) {
        ByteArrayOutputStream data = new ByteArrayOutputStream(1024);
        Map<String, Integer> used = new HashMap<>();
        for (String name : signedHeaders) {
            List<Integer> positions = index.get(name);
            if (positions == null) {
                continue;
            }
            int u = used.getOrDefault(name, 0);
            if (u >= positions.size()) {
                continue;
            }
            used.put(name, u + 1);
            HeaderField f = fields.get(positions.get(positions.size() - 1 - u));
            byte[] canon = c == Canonicalization.RELAXED ? f.relaxed() : f.simple();
            data.write(canon, 0, canon.length);
        }
        byte[] own = HeaderField.canonical(TagList.withoutBValue(selfRaw, selfColon), selfColon, c);
        data.write(own, 0, own.length - 2);
        return data.toByteArray();
    }
}
