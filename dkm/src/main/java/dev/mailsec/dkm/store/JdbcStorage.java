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
 * one transaction. Audit appends are conditional inserts at the next sequence number (see
 * appendAudit).
 */
public final class JdbcStorage implements Storage {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final long SCHEMA_LOCK = 0x6d61696c73656344L;
    private static final int POOL = 4;

    private final String schema;
    private final JdbcConnections pool;
    private final Object auditLock = new Object();
    private long lastSeq = -1;
    private String lastLine;
    private Connection asyncAudit;

    private JdbcStorage(String url, String schema) {
        this.schema = schema;
        this.pool = new JdbcConnections(url, POOL, this::unavailable);
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
                s.prepare(st);
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

    /**
     * Checks the format of an existing store, then creates what is missing (nothing, for a current
     * store).
     */
    private void prepare(Statement st) throws SQLException, StoreFormatException {
        String where = "PostgreSQL store (schema " + schema + ")";
        boolean hasMeta;
        try (ResultSet rs =
                st.executeQuery("SELECT to_regclass('" + schema + ".dkm_meta') IS NOT NULL")) {
            hasMeta = rs.next() && rs.getBoolean(1);
        }
        if (hasMeta) {
            try (ResultSet rs =
                    st.executeQuery("SELECT format FROM " + schema + ".dkm_meta WHERE id = 1")) {
                if (!rs.next()) {
                    throw StoreFormat.unreadable(where, "its dkm_meta table has no row");
                }
                StoreFormat.check(where, rs.getInt(1));
            }
        }
        st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        st.execute(
                "CREATE TABLE IF NOT EXISTS "
                        + schema
                        + ".dkm_record (k text PRIMARY KEY,"
                        + " revision bigint NOT NULL, v bytea NOT NULL)");
        st.execute(
                "CREATE TABLE IF NOT EXISTS "
                        + schema
                        + ".dkm_audit (seq bigint PRIMARY KEY,"
                        + " line text NOT NULL)");
        // the head checkpoint (one row) of the last line, replaced in the statement that appends
        // the line
        st.execute(
                "CREATE TABLE IF NOT EXISTS "
                        + schema
                        + ".dkm_audit_head (id int PRIMARY KEY CHECK (id = 1),"
                        + " seq bigint NOT NULL, line text NOT NULL)");
        if (!hasMeta) {
            // a new store, or one from before the table, which is format 1 (the same as CURRENT:
            // nothing to convert;
            // a version that raises CURRENT converts such a store here before writing its row)
            st.execute(
                    "CREATE TABLE "
                            + schema
                            + ".dkm_meta (id int PRIMARY KEY CHECK (id = 1), format int NOT NULL)");
            st.execute(
                    "INSERT INTO "
                            + schema
                            + ".dkm_meta (id, format) VALUES (1, "
                            + StoreFormat.CURRENT
                            + ")");
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

    /**
     * One round trip in the usual case: the line is inserted as {@code seq = N + 1} only if N is
     * still the highest sequence number (a conditional insert; the primary key settles races
     * between nodes). When another node appended first, the cached last line is re-read and the
     * builder runs again. Non-durable lines go through a connection with {@code synchronous_commit
     * = off}: a server crash may lose the newest few hundred milliseconds of them, never a line in
     * the middle of the chain.
     */
    @Override
    public void appendAudit(AuditLineBuilder builder, boolean durable)
            throws DkmUnavailableException {
        synchronized (auditLock) {
            Connection c = durable ? pool.borrow() : asyncAuditConnection();
            try {
                for (int attempt = 0; ; attempt++) {
                    if (lastSeq < 0 || attempt > 0) {
                        readLast(c);
                    }
                    String line = builder.next(lastLine);
                    // one statement, so one transaction: the line and the head checkpoint change
                    // together
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "WITH ins AS (INSERT INTO "
                                            + schema
                                            + ".dkm_audit (seq, line) SELECT ?, ? WHERE (SELECT coalesce(max(seq), 0) FROM "
                                            + schema
                                            + ".dkm_audit) = ? ON CONFLICT (seq) DO NOTHING RETURNING seq, line)"
                                            + " INSERT INTO "
                                            + schema
                                            + ".dkm_audit_head (id, seq, line) SELECT 1, seq, ? FROM ins"
                                            + " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, line = excluded.line")) {
                        ps.setLong(1, lastSeq + 1);
                        ps.setString(2, line);
                        ps.setLong(3, lastSeq);
                        ps.setString(4, builder.head(line));
                        if (ps.executeUpdate() == 1) {
                            lastSeq++;
                            lastLine = line;
                            break;
                        }
                    }
                    if (attempt > 1000) {
                        throw new SQLException("audit append lost 1000 races in a row");
                    }
                }
                if (durable) {
                    pool.release(c);
                }
            } catch (SQLException e) {
                lastSeq = -1;
                if (durable) {
                    pool.discard(c);
                } else {
                    pool.discard(c);
                    asyncAudit = null;
                }
                throw unavailable("cannot append to the audit log", e);
            } catch (RuntimeException e) {
                // the builder refused (e.g. a malformed last line); nothing was written
                lastSeq = -1;
                if (durable) {
                    pool.release(c);
                }
                throw e;
            }
        }
    }

    private void readLast(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT seq, line FROM "
                                        + schema
                                        + ".dkm_audit ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                lastSeq = rs.getLong(1);
                lastLine = rs.getString(2);
            } else {
                lastSeq = 0;
                lastLine = null;
            }
        }
    }

    private Connection asyncAuditConnection() throws DkmUnavailableException {
        if (asyncAudit == null) {
            Connection c = pool.borrow();
            try (Statement st = c.createStatement()) {
                st.execute("SET synchronous_commit TO OFF");
            } catch (SQLException e) {
                pool.discard(c);
                throw unavailable("cannot prepare the audit connection", e);
            }
            asyncAudit = c;
        }
        return asyncAudit;
    }

    @Override
    public Optional<String> readAuditHead() throws DkmUnavailableException {
        Connection c = pool.borrow();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT line FROM " + schema + ".dkm_audit_head WHERE id = 1")) {
            Optional<String> head = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            pool.release(c);
            return head;
        } catch (SQLException e) {
            pool.discard(c);
            throw unavailable("cannot read the audit head checkpoint", e);
        }
    }

    @Override
    public List<String> readAudit() throws DkmUnavailableException {
        Connection c = pool.borrow();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT line FROM " + schema + ".dkm_audit ORDER BY seq")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            pool.release(c);
            return out;
        } catch (SQLException e) {
            pool.discard(c);
            throw unavailable("cannot read the audit log", e);
        }
    }

    @Override
    public void close() {
        synchronized (auditLock) {
            if (asyncAudit != null) {
                pool.discard(asyncAudit);
                asyncAudit = null;
            }
        }
        pool.close();
    }

    private DkmUnavailableException unavailable(String what, SQLException e) {
        // the URL may carry a password: name the schema only
        return new DkmUnavailableException(
                "PostgreSQL store (schema " + schema + "): " + what + ": " + e.getMessage(), e);
    }
}
