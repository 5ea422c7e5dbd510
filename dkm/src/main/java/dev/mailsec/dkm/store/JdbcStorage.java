package dev.mailsec.dkm.store;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shared store for several James nodes: PostgreSQL through plain JDBC. Records carry a revision
 * and are replaced with {@code UPDATE ... WHERE revision = ?} (optimistic concurrency), so two
 * nodes rotating at once never overwrite each other: the loser re-reads and tries again. A batch is
 * one transaction. The tables are {@link JdbcSchema}'s, the audit log is {@link JdbcAuditLog}'s,
 * the connections are {@link JdbcConnections}'.
 */
public final class JdbcStorage implements Storage {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final long SCHEMA_LOCK = 0x6d61696c73656344L;
    private static final int POOL = 4;

    private final String schema;
    private final JdbcConnections pool;
    private final JdbcAuditLog audit;

    private JdbcStorage(String url, String schema) {
        this.schema = schema;
        this.pool = new JdbcConnections(url, POOL, this::unavailable);
        this.audit = new JdbcAuditLog(schema, pool, this::unavailable);
    }

    /**
     * Checks what {@link #open} checks before it connects: a {@code jdbc:postgresql:} URL and a
     * schema name (a caller that opens later, when the server is reachable, fails at once on
     * these).
     *
     * @throws IllegalArgumentException naming the parameter and the bad value
     */
    public static void checkParameters(String url, String schema) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "store: only jdbc:postgresql: URLs are supported, got '" + url + "'");
        }
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException(
                    "store.schema: must match " + SCHEMA + ", got '" + schema + "'");
        }
    }

    /**
     * Connects to {@code url} (a {@code jdbc:postgresql:} URL, credentials as URL parameters) and
     * uses tables in {@code schema}, creating schema and tables when missing. The store's format is
     * kept in the one row of {@code dkm_meta}: a store of a newer format than {@link
     * StoreFormat#CURRENT} (or with an unreadable row) is refused with a {@link
     * StoreFormatException} before anything is written; a store made before the table existed is
     * format 1 and gets the row.
     */
    public static JdbcStorage open(String url, String schema) throws DkmUnavailableException {
        checkParameters(url, schema);
        JdbcStorage s = new JdbcStorage(url, schema);
        Connection c = s.pool.borrow();
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + SCHEMA_LOCK + ")");
            try {
                // one transaction: the tables and the format row appear together
                c.setAutoCommit(false);
                JdbcSchema.prepare(st, schema);
                c.commit();
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                st.execute("SELECT pg_advisory_unlock(" + SCHEMA_LOCK + ")");
            }
            s.pool.release(c);
            return s;
        } catch (SQLException e) {
            s.pool.discard(c);
            throw s.unavailable("cannot prepare schema " + schema, e);
        } catch (StoreFormatException e) {
            s.pool.discard(c);
            throw e;
        }
    }

    public String schema() {
        return schema;
    }

    @Override
    public Optional<StoredRecord> get(String key) throws DkmUnavailableException {
        Connection c = pool.borrow();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT revision, v FROM " + schema + ".dkm_record WHERE k = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                Optional<StoredRecord> r =
                        rs.next()
                                ? Optional.of(new StoredRecord(key, rs.getLong(1), rs.getBytes(2)))
                                : Optional.empty();
                pool.release(c);
                return r;
            }
        } catch (SQLException e) {
            pool.discard(c);
            throw unavailable("cannot read " + key, e);
        }
    }

    @Override
    public List<StoredRecord> list(String prefix) throws DkmUnavailableException {
        Connection c = pool.borrow();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT k, revision, v FROM "
                                + schema
                                + ".dkm_record WHERE left(k, ?) = ? ORDER BY k COLLATE \"C\"")) {
            ps.setInt(1, prefix.length());
            ps.setString(2, prefix);
            List<StoredRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredRecord(rs.getString(1), rs.getLong(2), rs.getBytes(3)));
                }
            }
            pool.release(c);
            return out;
        } catch (SQLException e) {
            pool.discard(c);
            throw unavailable("cannot list " + prefix, e);
        }
    }

    @Override
    public void write(List<Write> writes) throws ConflictException, DkmUnavailableException {
        if (writes.isEmpty()) {
            return;
        }
        Connection c = pool.borrow();
        try {
            c.setAutoCommit(false);
            List<Write> inserts = new ArrayList<>();
            List<Write> updates = new ArrayList<>();
            for (Write w : writes) {
                (w.expectedRevision() == 0 ? inserts : updates).add(w);
            }
            String conflict = null;
            if (!inserts.isEmpty()) {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO "
                                        + schema
                                        + ".dkm_record (k, revision, v) VALUES (?, 1, ?) ON CONFLICT (k) DO NOTHING")) {
                    conflict = runBatch(ps, inserts, false);
                }
            }
            if (conflict == null && !updates.isEmpty()) {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE "
                                        + schema
                                        + ".dkm_record SET v = ?, revision = revision + 1 WHERE k = ? AND revision = ?")) {
                    conflict = runBatch(ps, updates, true);
                }
            }
            if (conflict != null) {
                c.rollback();
                c.setAutoCommit(true);
                pool.release(c);
                throw new ConflictException(conflict);
            }
            c.commit();
            c.setAutoCommit(true);
            pool.release(c);
        } catch (SQLException e) {
            pool.discard(c);
            throw unavailable("cannot write " + writes.size() + " record(s)", e);
        } catch (RuntimeException e) {
            pool.discard(c);
            throw e;
        }
    }

    private static String runBatch(PreparedStatement ps, List<Write> writes, boolean update)
            throws SQLException {
        for (Write w : writes) {
            if (update) {
                ps.setBytes(1, w.value());
                ps.setString(2, w.key());
                ps.setLong(3, w.expectedRevision());
            } else {
                ps.setString(1, w.key());
                ps.setBytes(2, w.value());
            }
            ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                return writes.get(i).key();
            }
        }
        return null;
    }

    @Override
    public void appendAudit(AuditLineBuilder builder, boolean durable)
            throws DkmUnavailableException {
        audit.append(builder, durable);
    }

    @Override
    public Optional<String> readAuditHead() throws DkmUnavailableException {
        return audit.readHead();
    }

    @Override
    public List<String> readAudit() throws DkmUnavailableException {
        return audit.readAll();
    }

    @Override
    public void close() {
        audit.close();
        pool.close();
    }

    private DkmUnavailableException unavailable(String what, SQLException e) {
        // the URL may carry a password: name the schema only
        return new DkmUnavailableException(
                "PostgreSQL store (schema " + schema + "): " + what + ": " + e.getMessage(), e);
    }
}
