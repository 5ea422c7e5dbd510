package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rights store on DKM's storages across versions: a store written by a newer mailsec is
 * refused, untouched.
 */
class RightsStoreFormatTest {
    private static final String URL = PostgresRightsStoreTest.URL;
    private final String schema =
            "rights_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    @TempDir Path tmp;

    @AfterEach
    void dropSchema() throws Exception {
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void aFileStoreOfANewerFormatShouldBeRefusedAndLeftUntouched() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rights"));
        Files.write(
                dir.resolve("dkm-store"),
                "mailsec DKM file store, format 2\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("shard-00.dat"), "DKMSHARD2".getBytes(StandardCharsets.US_ASCII));
        List<String> before = files(dir);

        assertThatThrownBy(() -> RightsStore.open("file:" + dir, null))
                .isInstanceOf(RightsStoreUnavailableException.class)
                .hasMessage(
                        "rights store refused: DKM file store "
                                + dir
                                + " is format 2, written by a newer mailsec;"
                                + " this mailsec reads format 1: upgrade mailsec (the store is left untouched)");
        assertThat(files(dir)).isEqualTo(before);
    }

    @Test
    void aPostgresStoreOfANewerFormatShouldBeRefusedAndLeftUntouched() throws Exception {
        RightsStore.open(URL, schema).close();
        sql("UPDATE " + schema + ".dkm_meta SET format = 2");
        List<String> before = rows();

        assertThatThrownBy(() -> RightsStore.open(URL, schema))
                .isInstanceOf(RightsStoreUnavailableException.class)
                .hasMessage(
                        "rights store refused: PostgreSQL store (schema "
                                + schema
                                + ") is format 2, written by a newer"
                                + " mailsec; this mailsec reads format 1: upgrade mailsec (the store is left untouched)");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aPostgresStoreFromBeforeTheFormatRowShouldOpenAndGetTheRow() throws Exception {
        RightsStore.open(URL, schema).close();
        sql("DROP TABLE " + schema + ".dkm_meta");

        RightsStore.open(URL, schema).close();
        assertThat(rows())
                .anyMatch(
                        t ->
                                t.startsWith("dkm_meta ")
                                        && t.contains(
                                                "<row> <id>1</id> <format>1</format> </row>"));
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : all.sorted().collect(Collectors.toList())) {
                out.add(
                        dir.relativize(p)
                                + (Files.isDirectory(p)
                                        ? "/"
                                        : " "
                                                + new String(
                                                        Files.readAllBytes(p),
                                                        StandardCharsets.ISO_8859_1)));
            }
            return out;
        }
    }

    /** Every table of the schema with all its rows (PostgreSQL renders each table as XML). */
    private List<String> rows() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(URL);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT table_name, query_to_xml('SELECT * FROM ' || table_schema || '.'"
                                        + " || table_name || ' ORDER BY 1', false, false, '') FROM information_schema.tables"
                                        + " WHERE table_schema = '"
                                        + schema
                                        + "' ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2).replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(URL);
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
