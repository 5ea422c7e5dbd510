package dev.mailsec.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.report.CounterStore;
import dev.mailsec.report.FileCounterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReportStoreTest extends ReportStoreContract {

    @TempDir Path dir;

    @Override
    CounterStore<ReportRow> open() throws Exception {
        return FileCounterStore.open(dir, ReportStores.ROWS, MAX_ROWS);
    }

    @Override
    void dropStore() {}

    @Test
    void countsShouldReachTheDiskOnFlush() throws Exception {
        store().add(100, ReportFixtures.row("192.0.2.1", "none", true));
        store().flush();
        assertThat(Files.readString(dir.resolve("100/example.com.rows"))).startsWith("1\tr1\t");
    }

    @Test
    void aDamagedFileShouldBeReportedNotSkipped() throws Exception {
        Files.createDirectories(dir.resolve("100"));
        Files.writeString(dir.resolve("100/example.com.rows"), "x\tnonsense\n");
        assertThatThrownBy(() -> FileCounterStore.open(dir, ReportStores.ROWS, MAX_ROWS))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unreadable line");
    }
}
