package dev.mailsec.dkm.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Everything a store holds, to prove that a refused store was left exactly as it was. */
public final class StoreSnapshot {
    private StoreSnapshot() {}

    /** Every file under {@code dir} (folders too), by relative path, with its bytes. */
    public static Map<String, String> files(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.collect(Collectors.toList())) {
                out.put(
                        dir.relativize(p).toString(),
                        Files.isDirectory(p)
                                ? "<dir>"
                                : Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    /** Every table of {@code schema} with every row (as text, in a fixed order). */
    public static Map<String, List<String>> schema(String url, String schema) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                                    + schema
                                    + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT t::text FROM " + schema + "." + t + " t ORDER BY 1")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                out.put(t, rows);
            }
        }
        return out;
    }
}
