package dev.mailsec.dkm.store;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.spi.Storage.AuditLineBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log of a {@link JdbcStorage}: appends are conditional inserts at the next sequence
 * number (one statement also replaces the head checkpoint), the last line is cached, and
 * non-durable lines go through a connection of their own with {@code synchronous_commit = off}.
 */
final class JdbcAuditLog {
    private final String schema;
    private final JdbcConnections pool;
    private final JdbcConnections.Failure failure;
    private final Object auditLock = new Object();
    private long lastSeq = -1;
    private String lastLine;
    private Connection asyncAudit;

    JdbcAuditLog(String schema, JdbcConnections pool, JdbcConnections.Failure failure) {
        this.schema = schema;
        this.pool = pool;
        this.failure = failure;
    }

    /**
     * One round trip in the usual case: the line is inserted as {@code seq = N + 1} only if N is
     * still the highest sequence number (a conditional insert; the primary key settles races
     * between nodes). When another node appended first, the cached last line is re-read and the
     * builder runs again. Non-durable lines go through a connection with {@code synchronous_commit
     * = off}: a server crash may lose the newest few hundred milliseconds of them, never a line in
     * the middle of the chain.
     */
    void append(AuditLineBuilder builder, boolean durable) throws DkmUnavailableException {
        synchronized (auditLock) {
            Connection c = durable ? pool.borrow() : asyncAuditConnection();
            try {
                // not the records' compare-and-set loop (CompareAndSet): a race between nodes for
                // the next sequence number of the log, settled by the conditional insert
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
                throw failure.of("cannot append to the audit log", e);
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
                throw failure.of("cannot prepare the audit connection", e);
            }
            asyncAudit = c;
        }
        return asyncAudit;
    }

    Optional<String> readHead() throws DkmUnavailableException {
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
            throw failure.of("cannot read the audit head checkpoint", e);
        }
    }

    List<String> readAll() throws DkmUnavailableException {
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
            throw failure.of("cannot read the audit log", e);
        }
    }

    /** Gives the non-durable appender's connection back (the pool closes the rest). */
    void close() {
        synchronized (auditLock) {
            if (asyncAudit != null) {
                pool.discard(asyncAudit);
                asyncAudit = null;
            }
        }
    }
}
