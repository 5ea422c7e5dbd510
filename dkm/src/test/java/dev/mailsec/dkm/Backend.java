package dev.mailsec.dkm;

import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.dkm.store.JdbcStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/** The two real backends the shared suites run against. */
public abstract class Backend {
    public static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** A new empty store. */
    public abstract Storage create() throws Exception;

    /** Another connection/handle to the same store (a second node or process). */
    public abstract Storage reopen() throws Exception;

    /** The properties line that points a client at this store. */
    public abstract String storeProperty();

    public abstract void cleanUp() throws Exception;

    /**
     * Replaces the stored audit log with these lines, as an attacker with write access to the store
     * could.
     */
    public abstract void rewriteAudit(List<String> lines) throws Exception;

    /**
     * The stored head checkpoint as raw bytes/text (null when there is none), to restore it later.
     */
    public abstract Object saveAuditHead() throws Exception;

    /**
     * Puts back a saved head checkpoint (null: removes it, like a store from before checkpoints).
     */
    public abstract void restoreAuditHead(Object saved) throws Exception;

    public static final class Files extends Backend {
        private final Path dir;

        public Files(Path tmp) {
            this.dir = tmp.resolve("data");
        }

        @Override
        public Storage create() throws Exception {
            return FileStorage.create(dir);
        }

        @Override
        public Storage reopen() throws Exception {
            return FileStorage.open(dir);
        }

        @Override
        public String storeProperty() {
            return "store=file:" + dir + "\n";
        }

        @Override
        public void cleanUp() {
            // the JUnit temp directory goes away by itself
        }

        @Override
        public void rewriteAudit(List<String> lines) throws Exception {
            StringBuilder sb = new StringBuilder();
            for (String l : lines) {
                sb.append(l).append('\n');
            }
            java.nio.file.Files.write(
                    dir.resolve("audit.log"), sb.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Object saveAuditHead() throws Exception {
            Path h = dir.resolve("audit.head");
            return java.nio.file.Files.exists(h) ? java.nio.file.Files.readAllBytes(h) : null;
        }

        @Override
        public void restoreAuditHead(Object saved) throws Exception {
            Path h = dir.resolve("audit.head");
            if (saved == null) {
                java.nio.file.Files.deleteIfExists(h);
            } else {
                java.nio.file.Files.write(h, (byte[]) saved);
            }
        }

        public Path directory() {
            return dir;
        }
    }

    public static final class Postgres extends Backend {
        private final String schema =
                "dkm_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

        @Override
        public Storage create() throws Exception {
            return JdbcStorage.open(PG_URL, schema);
        }

        @Override
        public Storage reopen() throws Exception {
            return JdbcStorage.open(PG_URL, schema);
        }

        @Override
        public String storeProperty() {
            return "store=" + PG_URL + "\nstore.schema=" + schema + "\n";
        }

        @Override
        public void rewriteAudit(List<String> lines) throws Exception {
            try (Connection c = DriverManager.getConnection(PG_URL);
                    Statement st = c.createStatement()) {
                st.execute("DELETE FROM " + schema + ".dkm_audit");
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO " + schema + ".dkm_audit (seq, line) VALUES (?, ?)")) {
                    long seq = 1;
                    for (String l : lines) {
                        ps.setLong(1, seq++);
                        ps.setString(2, l);
                        ps.executeUpdate();
                    }
                }
            }
        }

        @Override
        public Object saveAuditHead() throws Exception {
            try (Connection c = DriverManager.getConnection(PG_URL);
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT seq, line FROM " + schema + ".dkm_audit_head")) {
                return rs.next() ? new Object[] {rs.getLong(1), rs.getString(2)} : null;
            }
        }

        @Override
        public void restoreAuditHead(Object saved) throws Exception {
            try (Connection c = DriverManager.getConnection(PG_URL);
                    Statement st = c.createStatement()) {
                st.execute("DELETE FROM " + schema + ".dkm_audit_head");
                if (saved != null) {
                    Object[] row = (Object[]) saved;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO "
                                            + schema
                                            + ".dkm_audit_head (id, seq, line) VALUES (1, ?, ?)")) {
                        ps.setLong(1, (Long) row[0]);
                        ps.setString(2, (String) row[1]);
                        ps.executeUpdate();
                    }
                }
            }
        }

        public String schema() {
            return schema;
        }

        @Override
        public void cleanUp() throws Exception {
            try (Connection c = DriverManager.getConnection(PG_URL);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
