package dev.mailsec.dkm;

import java.nio.file.Path;

/** Runs against the real PostgreSQL server on 127.0.0.1:5432 (database test), in a fresh schema. */
class PostgresKeyManagerTest extends KeyManagerContractTest {
    @Override
    Backend backend(Path tmp) {
        return new Backend.Postgres();
    }
}
