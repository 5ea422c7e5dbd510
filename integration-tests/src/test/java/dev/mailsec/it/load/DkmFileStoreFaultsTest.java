package dev.mailsec.it.load;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link FaultsEndToEndTest}'s faults with DKM on the file store install makes by default (the DKM
 * fault: {@code var/mailsec/dkm/data} moved away, then back). Long run only ({@code
 * -Dmailsec.faults.long=true}); where PostgreSQL is missing, the short run already uses the file
 * store.
 */
@EnabledIfSystemProperty(named = "mailsec.faults.long", matches = "true")
class DkmFileStoreFaultsTest extends FaultsEndToEndTest {

    @Override
    boolean dkmOnPostgres() {
        return false;
    }
}
