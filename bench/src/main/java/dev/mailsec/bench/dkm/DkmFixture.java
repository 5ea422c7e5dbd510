package dev.mailsec.bench.dkm;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.dkm.store.JdbcStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away DKM for the benchmarks: a file store in a temporary directory or a fresh schema in
 * the PostgreSQL server on 127.0.0.1:5432 (database test, user postgres), with {@code secrets}
 * OPAQUE secrets of 64 bytes in group {@code mail}, an admin with the root key and a member
 * service.
 */
final class DkmFixture implements AutoCloseable {
    static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    final Path dir;
    final String backend;
    final String schema;
    final Storage storage;
    final KeyManager admin;
    final KeyManager member;
    private final Storage memberStorage;

    DkmFixture(String backend, int secrets) throws Exception {
        this.backend = backend;
        this.dir = Files.createTempDirectory("dkm-bench");
        this.schema = "dkm_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.storage = open(true);
        FileRootKeys root = new FileRootKeys(dir.resolve("root-keys"));
        admin =
                KeyManager.init(
                        storage, root, "admin", dir.resolve("admin.cred"), Clock.systemUTC());
        admin.createIdentity("james", IdentityType.SERVICE, false, dir.resolve("james.cred"));
        admin.createGroup("mail");
        admin.addMember("mail", "james");
        Map<String, byte[]> values = new TreeMap<>();
        for (int i = 0; i < secrets; i++) {
            values.put(name(i), String.format("%064d", i).getBytes(StandardCharsets.US_ASCII));
            if (values.size() == 2000) {
                admin.importSecrets("mail", SecretKind.OPAQUE, values);
                values.clear();
            }
        }
        if (!values.isEmpty()) {
            admin.importSecrets("mail", SecretKind.OPAQUE, values);
        }
        memberStorage = open(false);
        member =
                KeyManager.open(
                        memberStorage,
                        null,
                        Credential.load(dir.resolve("james.cred")),
                        Clock.systemUTC());
    }

    static String name(int i) {
        return "account/user" + i + "/imap";
    }

    String storeProperties() {
        return "file".equals(backend)
                ? "store=file:" + dir.resolve("data") + "\n"
                : "store=" + PG_URL + "\nstore.schema=" + schema + "\n";
    }

    private Storage open(boolean create) throws Exception {
        if ("file".equals(backend)) {
            return create
                    ? FileStorage.create(dir.resolve("data"))
                    : FileStorage.open(dir.resolve("data"));
        }
        return JdbcStorage.open(PG_URL, schema);
    }

    @Override
    public void close() throws Exception {
        member.close();
        admin.close();
        memberStorage.close();
        storage.close();
        if (!"file".equals(backend)) {
            try (Connection c = DriverManager.getConnection(PG_URL);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    // temporary directory; the OS cleans up
                                }
                            });
        }
    }
}
