package dev.mailsec.dkm.store;

import dev.mailsec.dkm.spi.StoreFormatException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of a {@link JdbcStorage} in its schema: {@code dkm_record} (key, revision, value),
 * {@code dkm_audit} (sequence number, line), {@code dkm_audit_head} (the one head checkpoint) and
 * {@code dkm_meta} (the one row holding the store's format, see {@link StoreFormat}).
 */
final class JdbcSchema {
    private JdbcSchema() {}

    /**
     * Checks the format of an existing store, then creates what is missing (nothing, for a current
     * store).
     */
    static void prepare(Statement st, String schema) throws SQLException, StoreFormatException {
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
            // nothing to convert; a version that raises CURRENT converts such a store here before
            // writing its row)
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
}
