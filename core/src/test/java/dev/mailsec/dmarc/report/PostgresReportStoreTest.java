package dev.mailsec.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.report.CounterStore;
import dev.mailsec.report.JdbcCounterStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The contract against the real PostgreSQL on 127.0.0.1:5432 (db test), one schema per test. */
class PostgresReportStoreTest extends ReportStoreContract {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    final String schema =
            "dmarc_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    @Override
    CounterStore<ReportRow> open() throws Exception {
        return JdbcCounterStore.open(URL, schema, ReportStores.ROWS, MAX_ROWS);
    }

    @Override
    void dropStore() throws Exception {
        try (Connection c = DriverManager.getConnection(URL);
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void twoNodesAddingAtOnceShouldLoseNoCount() throws Exception {
        CounterStore<ReportRow> other = open();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ReportRow row = ReportFixtures.row("192.0.2.1", "none", true);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                CounterStore<ReportRow> s = i % 2 == 0 ? store() : other;
                done.add(pool.submit(() -> s.add(100, row)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(store().rows(100, "example.com")).containsEntry(row, 200L);
            assertThat(other.claim(100, "example.com")).isTrue();
            assertThat(store().claim(100, "example.com")).isFalse();
        } finally {
            pool.shutdown();
            other.close();
        }
    }
}
