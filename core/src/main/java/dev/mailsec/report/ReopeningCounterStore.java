package dev.mailsec.report;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A store that may be down when James starts (a PostgreSQL being restarted): opened on first use
 * and again after a failed open, at most once per {@code pauseMillis}; until then each call fails
 * fast with an {@code IOException}, which the recorder counts and mail goes on.
 */
final class ReopeningCounterStore<R extends CountedRow> implements CounterStore<R> {

    /** Opens the real store. */
    interface Opener<R extends CountedRow> {
        CounterStore<R> open() throws IOException;
    }

    private final Opener<R> opener;
    private final String label;
    private final long pauseMillis;
    private CounterStore<R> store;
    private long nextTry;
    private String lastFailure = "";

    ReopeningCounterStore(Opener<R> opener, String label, long pauseMillis) {
        this.opener = opener;
        this.label = label;
        this.pauseMillis = pauseMillis;
    }

    private synchronized CounterStore<R> store() throws IOException {
        if (store != null) {
            return store;
        }
        long now = System.currentTimeMillis();
        if (now < nextTry) {
            throw new IOException(label + " store not reachable: " + lastFailure);
        }
        try {
            store = opener.open();
            return store;
        } catch (IOException e) {
            nextTry = now + pauseMillis;
            lastFailure = e.getMessage();
            throw e;
        }
    }

    @Override
    public boolean add(long period, R row) throws IOException {
        return store().add(period, row);
    }

    @Override
    public List<Pending> pending(long before) throws IOException {
        return store().pending(before);
    }

    @Override
    public Map<R, Long> rows(long period, String policyDomain) throws IOException {
        return store().rows(period, policyDomain);
    }

    @Override
    public boolean claim(long period, String policyDomain) throws IOException {
        return store().claim(period, policyDomain);
    }

    @Override
    public void unclaim(long period, String policyDomain) throws IOException {
        store().unclaim(period, policyDomain);
    }

    @Override
    public void remove(long period, String policyDomain) throws IOException {
        store().remove(period, policyDomain);
    }

    @Override
    public void flush() throws IOException {
        CounterStore<R> s;
        synchronized (this) {
            s = store;
        }
        if (s != null) {
            s.flush();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (store != null) {
            store.close();
        }
    }
}
