package dev.mailsec.it.load;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S/MIME certificate directory (a real slapd, {@link SmimeDirectory}) killed while the
 * installed James is under {@link LoadDriver}'s mixed load for minutes, on a James of its own: mail
 * held while it is down, reprocessed after, every mail accepted counted out exactly once, every
 * mail in the mailboxes of users with a certificate S/MIME-encrypted (none delivered in clear).
 * Long run ({@code -Dmailsec.faults.long=true}) only; {@link FaultsEndToEndTest} runs the same
 * fault for seconds in {@code mvn verify}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "mailsec.faults.long", matches = "true")
class SmimeLdapFaultsTest {

    @TempDir static Path work;
    private SmimeDirectory directory;
    private LoadedJames loaded;

    @BeforeAll
    void start() throws Exception {
        directory = SmimeDirectory.start(work.resolve("ldap"));
        loaded = LoadedJames.start(work, directory.installFlags(), directory.pipeline());
        loaded.encryptedOnly(directory.users());
    }

    @AfterEach
    void stopTheDrivers() {
        if (loaded != null) {
            loaded.stopDrivers();
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (loaded != null) {
                loaded.close();
            }
        } finally {
            if (directory != null) {
                directory.close();
            }
        }
    }

    @Test
    void theDirectoryKilledMidRunShouldHoldThenDeliverEveryMailForItsUsersEncrypted()
            throws Exception {
        directory.killedMidRun(loaded, FaultsEndToEndTest.PHASE, FaultsEndToEndTest.DRAIN);
    }
}
