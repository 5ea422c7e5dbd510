package dev.mailsec.rights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages one sender protected, for the portal's sender pages: the record {@code
 * b/<sha256(sender)>} counts them, and the records {@code b/<sha256(sender)>/<page>} (page 0, 1,
 * ...; {@link #PAGE_SIZE} licence ids each, oldest first) hold their licence ids. Written in the
 * same transaction as the message's own record ({@link MessageRecords#record}); a page of the list
 * is one read of one page record and {@link #PAGE_SIZE} message reads, on every backend, however
 * many messages the sender protected. Messages protected before this index existed are not in it.
 */
final class SenderIndex {
    /** Licence ids per page record, and so messages per page of the sender's list. */
    static final int PAGE_SIZE = 50;

    static final RecordCodec<Long> COUNT =
            new RecordCodec<>() {
                @Override
                public byte[] encode(Long n) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("n", n);
                    return RecordCodec.json(m);
                }

                @Override
                public Long decode(String key, byte[] bytes) {
                    return RecordCodec.num(RecordCodec.parse(key, bytes).get("n"));
                }
            };

    private final RightsRecords records;

    SenderIndex(RightsRecords records) {
        this.records = records;
    }

    static String countKey(String sender) {
        return "b/" + RightsRecords.hash(Rights.address(sender));
    }

    static String pageKey(String sender, long page) {
        return countKey(sender) + "/" + String.format(java.util.Locale.ROOT, "%08d", page);
    }

    /** Stages the addition of {@code licenceId} to its sender's index in {@code tx}. */
    static void add(RightsRecords.Tx tx, String sender, String licenceId)
            throws RightsStoreUnavailableException {
        String countKey = countKey(sender);
        long n = tx.read(countKey, COUNT).orElse(0L);
        String pageKey = pageKey(sender, n / PAGE_SIZE);
        MessageIndex page = tx.read(pageKey, MessageIndex.CODEC).orElse(MessageIndex.EMPTY);
        tx.put(pageKey, MessageIndex.CODEC, page.with(licenceId));
        tx.put(countKey, COUNT, n + 1);
    }

    /** How many messages the sender protected (since the index exists). */
    long count(String sender) throws RightsStoreUnavailableException {
        return records.get(countKey(sender), COUNT).orElse(0L);
    }

    /**
     * Page {@code page} of the sender's messages, newest first: page 0 holds the latest {@code
     * count % PAGE_SIZE} (or {@link #PAGE_SIZE}) messages, each next page the {@link #PAGE_SIZE}
     * before them.
     */
    SentMessages page(String sender, int page) throws RightsStoreUnavailableException {
        long n = count(sender);
        long pages = (n + PAGE_SIZE - 1) / PAGE_SIZE;
        if (page < 0 || page >= pages) {
            return new SentMessages(List.of(), Math.max(page, 0), (int) pages, n);
        }
        long record = pages - 1 - page;
        List<String> ids =
                records.get(pageKey(sender, record), MessageIndex.CODEC)
                        .map(MessageIndex::licenceIds)
                        .orElse(List.of());
        List<StoredMessage> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            records.get("m/" + id, StoredMessage.CODEC).ifPresent(out::add);
        }
        Collections.reverse(out);
        return new SentMessages(out, page, (int) pages, n);
    }
}
