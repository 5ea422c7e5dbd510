package dev.mailsec.dkm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.Backend;
import dev.mailsec.dkm.spi.StoreFormatException;
import dev.mailsec.dkm.spi.Write;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL-store specifics beyond the shared contract: the format row (real server on
 * 127.0.0.1:5432).
 */
class JdbcStorageTest {
    private final String schema =
            "dkm_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    @AfterEach
    void dropSchema() throws Exception {
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void aNewStoreShouldRecordTheCurrentFormat() throws Exception {
        JdbcStorage.open(Backend.PG_URL, schema).close();
        assertThat(StoreSnapshot.schema(Backend.PG_URL, schema).get("dkm_meta"))
                .containsExactly("(1,1)");
    }

    @Test
    void aStoreFromBeforeTheFormatRowShouldOpenAndGetTheRow() throws Exception {
        try (JdbcStorage s = JdbcStorage.open(Backend.PG_URL, schema)) {
            s.write(List.of(new Write("k", 0, new byte[] {7})));
            s.appendAudit(last -> "line", true);
        }
        sql("DROP TABLE " + schema + ".dkm_meta"); // as the previous version left it
        Map<String, List<String>> old = StoreSnapshot.schema(Backend.PG_URL, schema);

        try (JdbcStorage s = JdbcStorage.open(Backend.PG_URL, schema)) {
            assertThat(s.get("k").get().value()).containsExactly(7);
            assertThat(s.readAudit()).containsExactly("line");
        }
        Map<String, List<String>> upgraded = StoreSnapshot.schema(Backend.PG_URL, schema);
        assertThat(upgraded.remove("dkm_meta")).containsExactly("(1,1)");
        assertThat(upgraded).isEqualTo(old);
    }

    @Test
    void aStoreOfANewerFormatShouldBeRefusedAndLeftUntouched() throws Exception {
        try (JdbcStorage s = JdbcStorage.open(Backend.PG_URL, schema)) {
            s.write(List.of(new Write("k", 0, new byte[] {7})));
        }
        sql("UPDATE " + schema + ".dkm_meta SET format = 2");
        // a newer version may drop a table this one would create again
        sql("DROP TABLE " + schema + ".dkm_audit_head");
        Map<String, List<String>> before = StoreSnapshot.schema(Backend.PG_URL, schema);

        assertThatThrownBy(() -> JdbcStorage.open(Backend.PG_URL, schema))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage(
                        "PostgreSQL store (schema "
                                + schema
                                + ") is format 2, written by a newer mailsec; this mailsec"
                                + " reads format 1: upgrade mailsec (the store is left untouched)");
        assertThat(StoreSnapshot.schema(Backend.PG_URL, schema)).isEqualTo(before);
        // the lock and the connection were given back: the next open (after the "upgrade") works
        sql("UPDATE " + schema + ".dkm_meta SET format = 1");
        JdbcStorage.open(Backend.PG_URL, schema).close();
    }

    @Test
    void aStoreWithAnEmptyFormatTableShouldBeRefusedAndLeftUntouched() throws Exception {
        JdbcStorage.open(Backend.PG_URL, schema).close();
        sql("DELETE FROM " + schema + ".dkm_meta");
        Map<String, List<String>> before = StoreSnapshot.schema(Backend.PG_URL, schema);

        assertThatThrownBy(() -> JdbcStorage.open(Backend.PG_URL, schema))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage(
                        "PostgreSQL store (schema "
                                + schema
                                + "): cannot tell its format (its dkm_meta table has no row);"
                                + " this mailsec reads format 1: refusing it (the store is left untouched)");
        assertThat(StoreSnapshot.schema(Backend.PG_URL, schema)).isEqualTo(before);
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(Backend.PG_URL);
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
