package dev.mailsec.rights;

import dev.mailsec.dkm.store.JdbcStorage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The contract against the real PostgreSQL on 127.0.0.1:5432 (db test, trust auth), one schema per
 * test.
 */
class PostgresRightsStoreTest extends RightsStoreContract<JdbcStorage> {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    String schema;

    @Override
    JdbcStorage newStorage() throws Exception {
        schema = "rights_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return JdbcStorage.open(URL, schema);
    }

    @Override
    JdbcStorage reopen() throws Exception {
        return JdbcStorage.open(URL, schema);
    }

    @Override
    RightsStore storeOn(JdbcStorage storage) {
        return new RightsStore(storage);
    }

    @Override
    void dropStorage() throws Exception {
        try (Connection c = DriverManager.getConnection(URL);
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
