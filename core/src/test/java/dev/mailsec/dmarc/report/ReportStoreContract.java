package dev.mailsec.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.report.CounterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link CounterStore<ReportRow>} does; each store's test supplies it. */
abstract class ReportStoreContract {

    static final int MAX_ROWS = 3;
    private CounterStore<ReportRow> store;

    abstract CounterStore<ReportRow> open() throws Exception;

    abstract void dropStore() throws Exception;

    CounterStore<ReportRow> store() throws Exception {
        if (store == null) {
            store = open();
        }
        return store;
    }

    CounterStore<ReportRow> reopen() throws Exception {
        store.close();
        store = open();
        return store;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (store != null) {
            store.close();
        }
        dropStore();
    }

    @Test
    void equalRowsShouldBeCountedTogetherAndSurviveAReopen() throws Exception {
        ReportRow a = ReportFixtures.row("192.0.2.1", "none", true);
        ReportRow b = ReportFixtures.row("192.0.2.2", "reject", false);
        for (int i = 0; i < 5; i++) {
            assertThat(store().add(100, a)).isTrue();
        }
        assertThat(store().add(100, b)).isTrue();
        assertThat(store().add(200, b)).isTrue();

        reopen();

        assertThat(store().rows(100, "example.com")).isEqualTo(Map.of(a, 5L, b, 1L));
        assertThat(store().rows(200, "example.com")).isEqualTo(Map.of(b, 1L));
        assertThat(store().pending(200))
                .containsExactly(new CounterStore.Pending(100, "example.com"));
        assertThat(store().pending(201)).hasSize(2);
    }

    @Test
    void aFullPeriodShouldRefuseNewRowsButCountKnownOnes() throws Exception {
        for (int i = 1; i <= MAX_ROWS; i++) {
            assertThat(store().add(100, ReportFixtures.row("192.0.2." + i, "none", true))).isTrue();
        }
        assertThat(store().add(100, ReportFixtures.row("192.0.2.99", "none", true))).isFalse();
        assertThat(store().add(100, ReportFixtures.row("192.0.2.1", "none", true))).isTrue();
        // another period has room of its own
        assertThat(store().add(200, ReportFixtures.row("192.0.2.99", "none", true))).isTrue();

        assertThat(store().rows(100, "example.com")).hasSize(MAX_ROWS);
        assertThat(store().rows(100, "example.com"))
                .containsEntry(ReportFixtures.row("192.0.2.1", "none", true), 2L);
    }

    @Test
    void oneClaimantShouldSendAReportAndRemoveShouldForgetIt() throws Exception {
        store().add(100, ReportFixtures.row("192.0.2.1", "none", true));
        assertThat(store().claim(100, "example.com")).isTrue();
        assertThat(store().claim(100, "example.com")).isFalse();
        store().unclaim(100, "example.com");
        assertThat(store().claim(100, "example.com")).isTrue();

        store().remove(100, "example.com");

        assertThat(store().pending(Long.MAX_VALUE)).isEmpty();
        assertThat(reopen().rows(100, "example.com")).isEmpty();
        assertThat(store().claim(100, "example.com")).isTrue();
    }

    @Test
    void pendingShouldListOldestFirst() throws Exception {
        store().add(300, ReportFixtures.row("192.0.2.1", "none", true));
        store().add(100, ReportFixtures.row("192.0.2.1", "none", true));
        assertThat(store().pending(1000)).extracting(p -> p.period).isEqualTo(List.of(100L, 300L));
    }
}
