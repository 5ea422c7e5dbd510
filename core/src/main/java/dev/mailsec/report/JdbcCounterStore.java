package dev.mailsec.report;

import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.store.JdbcConnections;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cluster store: one PostgreSQL table of counters keyed by (period, policy domain, row), every
 * node adding with one UPSERT, and a claims table so that one node sends each finished report.
 * Connections through DKM's {@link JdbcConnections} (driver from the pack's class loader, connect
 * and socket timeouts). Tables are created in {@code schema} when missing.
 */
public final class JdbcCounterStore<R extends CountedRow> implements CounterStore<R> {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final JdbcConnections connections;
    private final RowKind<R> kind;
    private final String rows;
    private final String claims;
    private final int maxRows;

    private JdbcCounterStore(
            JdbcConnections connections, String schema, RowKind<R> kind, int maxRows) {
        this.connections = connections;
        this.kind = kind;
        this.rows = schema + "." + kind.tablePrefix + "_rows";
        this.claims = schema + "." + kind.tablePrefix + "_claims";
        this.maxRows = maxRows;
    }

    /** Opens the store at {@code url} (a jdbc:postgresql: URL), creating its tables. */
    public static <R extends CountedRow> JdbcCounterStore<R> open(
            String url, String schema, RowKind<R> kind, int maxRows) throws IOException {
        checkSchema(schema);
        JdbcConnections connections =
                new JdbcConnections(
                        url,
                        4,
                        (what, e) ->
                                new DkmUnavailableException(
                                        kind.label
                                                + " store: "
                                                + what
                                                + " ("
                                                + e.getSQLState()
                                                + ")",
                                        e));
        JdbcCounterStore<R> store = new JdbcCounterStore<>(connections, schema, kind, maxRows);
        store.run(
                c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                        st.execute(
                                "CREATE TABLE IF NOT EXISTS "
                                        + store.rows
                                        + " (period BIGINT NOT NULL, policy_domain TEXT NOT NULL,"
                                        + " row_key TEXT NOT NULL, row_text TEXT NOT NULL,"
                                        + " count BIGINT NOT NULL,"
                                        + " PRIMARY KEY (period, policy_domain, row_key))");
                        st.execute(
                                "CREATE TABLE IF NOT EXISTS "
                                        + store.claims
                                        + " (period BIGINT NOT NULL, policy_domain TEXT NOT NULL,"
                                        + " claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                                        + " PRIMARY KEY (period, policy_domain))");
                    }
                    return null;
                });
        return store;
    }

    /** {@code IllegalArgumentException} unless {@code schema} is a plain SQL name. */
    public static void checkSchema(String schema) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException(
                    "schema: must match " + SCHEMA.pattern() + ", got '" + schema + "'");
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) throws IOException {
        Connection c;
        try {
            c = connections.borrow();
        } catch (DkmUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        }
        try {
            T result = work.run(c);
            connections.release(c);
            return result;
        } catch (SQLException e) {
            connections.discard(c);
            throw new IOException(kind.label + " store: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean add(long period, R row) throws IOException {
        String text = row.encode();
        String key = sha256(text);
        return run(
                c -> {
                    try (PreparedStatement up =
                            c.prepareStatement(
                                    "UPDATE "
                                            + rows
                                            + " SET count = count + 1 WHERE period = ? AND"
                                            + " policy_domain = ? AND row_key = ?")) {
                        up.setLong(1, period);
                        up.setString(2, row.policyDomain());
                        up.setString(3, key);
                        if (up.executeUpdate() > 0) {
                            return true;
                        }
                    }
                    // a new row, if the period and domain have room; a racing insert of the same
                    // row becomes an increment
                    try (PreparedStatement in =
                            c.prepareStatement(
                                    "INSERT INTO "
                                            + rows
                                            + " (period, policy_domain, row_key, row_text, count)"
                                            + " SELECT ?, ?, ?, ?, 1 WHERE (SELECT count(*) FROM "
                                            + rows
                                            + " WHERE period = ? AND policy_domain = ?) < ?"
                                            + " ON CONFLICT (period, policy_domain, row_key)"
                                            + " DO UPDATE SET count = "
                                            + rows
                                            + ".count + 1")) {
                        in.setLong(1, period);
                        in.setString(2, row.policyDomain());
                        in.setString(3, key);
                        in.setString(4, text);
                        in.setLong(5, period);
                        in.setString(6, row.policyDomain());
                        in.setLong(7, maxRows);
                        return in.executeUpdate() > 0;
                    }
                });
    }

    @Override
    public List<Pending> pending(long before) throws IOException {
        return run(
                c -> {
                    List<Pending> out = new ArrayList<>();
                    try (PreparedStatement st =
                            c.prepareStatement(
                                    "SELECT DISTINCT period, policy_domain FROM "
                                            + rows
                                            + " WHERE period < ? ORDER BY period, policy_domain")) {
                        st.setLong(1, before);
                        try (ResultSet rs = st.executeQuery()) {
                            while (rs.next()) {
                                out.add(new Pending(rs.getLong(1), rs.getString(2)));
                            }
                        }
                    }
                    return out;
                });
    }

    @Override
    public Map<R, Long> rows(long period, String policyDomain) throws IOException {
        return run(
                c -> {
                    Map<R, Long> out = new LinkedHashMap<>();
                    try (PreparedStatement st =
                            c.prepareStatement(
                                    "SELECT row_text, count FROM "
                                            + rows
                                            + " WHERE period = ? AND policy_domain = ?"
                                            + " ORDER BY count DESC, row_key")) {
                        st.setLong(1, period);
                        st.setString(2, policyDomain);
                        try (ResultSet rs = st.executeQuery()) {
                            while (rs.next()) {
                                try {
                                    out.put(kind.decode(rs.getString(1)), rs.getLong(2));
                                } catch (IllegalArgumentException e) {
                                    throw new SQLException("unreadable row in " + rows, e);
                                }
                            }
                        }
                    }
                    return out;
                });
    }

    @Override
    public boolean claim(long period, String policyDomain) throws IOException {
        return run(
                c -> {
                    try (PreparedStatement st =
                            c.prepareStatement(
                                    "INSERT INTO "
                                            + claims
                                            + " (period, policy_domain) VALUES (?, ?)"
                                            + " ON CONFLICT DO NOTHING")) {
                        st.setLong(1, period);
                        st.setString(2, policyDomain);
                        return st.executeUpdate() == 1;
                    }
                });
    }

    @Override
    public void unclaim(long period, String policyDomain) throws IOException {
        delete(claims, period, policyDomain);
    }

    @Override
    public void remove(long period, String policyDomain) throws IOException {
        delete(rows, period, policyDomain);
        delete(claims, period, policyDomain);
    }

    private void delete(String table, long period, String policyDomain) throws IOException {
        run(
                c -> {
                    try (PreparedStatement st =
                            c.prepareStatement(
                                    "DELETE FROM "
                                            + table
                                            + " WHERE period = ? AND policy_domain = ?")) {
                        st.setLong(1, period);
                        st.setString(2, policyDomain);
                        return st.executeUpdate();
                    }
                });
    }

    private static String sha256(String text) {
        try {
            StringBuilder hex = new StringBuilder(64);
            for (byte b :
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8))) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16))
                        .append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        connections.close();
    }
}
