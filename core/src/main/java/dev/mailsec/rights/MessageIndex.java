package dev.mailsec.rights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record {@code i/<sha256(Message-ID)>}: the licence ids protected under one Message-ID, oldest
 * first.
 */
final class MessageIndex {
    static final MessageIndex EMPTY = new MessageIndex(List.of());

    static final RecordCodec<MessageIndex> CODEC =
            new RecordCodec<>() {
                @Override
                public byte[] encode(MessageIndex index) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ids", new ArrayList<>(index.licenceIds));
                    return RecordCodec.json(m);
                }

                @Override
                public MessageIndex decode(String key, byte[] bytes) {
                    return new MessageIndex(
                            RecordCodec.strings(RecordCodec.parse(key, bytes).get("ids")));
                }
            };

    private final List<String> licenceIds;

    private MessageIndex(List<String> licenceIds) {
        this.licenceIds = Collections.unmodifiableList(new ArrayList<>(licenceIds));
    }

    List<String> licenceIds() {
        return licenceIds;
    }

    MessageIndex with(String licenceId) {
        List<String> ids = new ArrayList<>(licenceIds);
        ids.add(licenceId);
        return new MessageIndex(ids);
    }
}
