package dev.mailsec.tls.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.report.CounterStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TLS session rows in the shared PostgreSQL store (127.0.0.1:5432, db test), two nodes. */
class PostgresTlsReportStoreTest {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    final String schema =
            "tlsrpt_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(URL);
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void twoNodesShouldCountIntoOneReportThatOneOfThemClaims() throws Exception {
        TlsSessionRow ok = TlsSessionRow.success(TlsSessionRowTest.STS);
        TlsSessionRow mismatch =
                TlsSessionRow.failure(
                        TlsSessionRowTest.STS,
                        TlsResultType.CERTIFICATE_HOST_MISMATCH,
                        "192.0.2.1",
                        "mx.example.com",
                        "198.51.100.1");
        try (CounterStore<TlsSessionRow> a = TlsReportStores.open(URL, schema, 2);
                CounterStore<TlsSessionRow> b = TlsReportStores.open(URL, schema, 2)) {
            assertThat(a.add(100, ok)).isTrue();
            assertThat(b.add(100, ok)).isTrue();
            assertThat(b.add(100, mismatch)).isTrue();
            // a third distinct row is over maxRowsPerDomain (2): not counted
            assertThat(a.add(100, TlsSessionRow.success(TlsPolicy.none("example.com")))).isFalse();

            assertThat(a.rows(100, "example.com")).isEqualTo(Map.of(ok, 2L, mismatch, 1L));
            assertThat(b.claim(100, "example.com")).isTrue();
            assertThat(a.claim(100, "example.com")).isFalse();
        }
    }
}
