package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloverSchedulerTest {
    @TempDir Path tmp;

    @Test
    void schedulerShouldApplyThePolicyAndReportRefusals() throws Exception {
        TestClock clock = new TestClock();
        try (FileStorage s = FileStorage.create(tmp.resolve("data"))) {
            KeyManager admin =
                    KeyManager.init(
                            s,
                            new FileRootKeys(tmp.resolve("root-keys")),
                            "admin",
                            tmp.resolve("admin.cred"),
                            clock);
            admin.createGroup("mail");
            clock.advance(Duration.ofDays(31));
            LinkedBlockingQueue<RolloverScheduler.Result> results = new LinkedBlockingQueue<>();
            try (RolloverScheduler sch =
                    RolloverScheduler.start(admin, Duration.ofMillis(50), results::add)) {
                RolloverScheduler.Result first = results.poll(20, TimeUnit.SECONDS);
                assertThat(first.failure()).isNull();
                assertThat(first.actions())
                        .containsExactly("group mail: keyset rolled over, 0 data keys re-wrapped");
                RolloverScheduler.Result second = results.poll(20, TimeUnit.SECONDS);
                assertThat(second.actions()).isEmpty();
            }
            KeyManager noRoot =
                    KeyManager.open(s, null, Credential.load(tmp.resolve("admin.cred")), clock);
            LinkedBlockingQueue<RolloverScheduler.Result> refused = new LinkedBlockingQueue<>();
            RolloverScheduler.runOnce(noRoot, refused::add);
            assertThat(refused.poll().failure()).isInstanceOf(DkmAccessDeniedException.class);
        }
    }
}
