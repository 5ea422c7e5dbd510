import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Build-time check (run by james-runtime's pom as a single-file Java program): the assembled
 * library folder holds exactly the jars the launcher's manifest {@code Class-Path} names, so {@code
 * java -jar james-server-memory-app.jar} finds every class it was built against. The manifest names
 * them as {@code james-server-memory-app.lib/NAME.jar}, the folder they are installed in beside the
 * launcher. Usage: {@code java CheckLibraryFolder.java LAUNCHER_JAR LIB_FOLDER}; exits 1 naming
 * every difference.
 */
public class CheckLibraryFolder {

    public static void main(String[] args) throws IOException {
        Path launcher = Paths.get(args[0]);
        Path lib = Paths.get(args[1]);
        TreeSet<String> named = new TreeSet<>();
        int entries;
        try (JarFile jar = new JarFile(launcher.toFile())) {
            String classPath =
                    jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null) {
                fail(launcher + ": no Class-Path in its manifest");
            }
            List<String> items =
                    Stream.of(classPath.trim().split("\\s+")).collect(Collectors.toList());
            entries = items.size();
            for (String item : items) {
                // every entry is james-server-memory-app.lib/NAME.jar (installed under that folder
                // name
                // beside the launcher; assembled here in LIB_FOLDER)
                String folder =
                        launcher.getFileName().toString().replaceFirst("\\.jar$", "") + ".lib";
                named.add(
                        item.startsWith(folder + "/")
                                ? item.substring(folder.length() + 1)
                                : "(elsewhere) " + item);
            }
        }
        TreeSet<String> present;
        try (Stream<Path> files = Files.list(lib)) {
            present =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".jar"))
                            .collect(Collectors.toCollection(TreeSet::new));
        }
        TreeSet<String> missing = new TreeSet<>(named);
        missing.removeAll(present);
        TreeSet<String> extra = new TreeSet<>(present);
        extra.removeAll(named);
        if (!missing.isEmpty() || !extra.isEmpty() || entries != present.size()) {
            fail(
                    lib
                            + " does not match "
                            + launcher.getFileName()
                            + "'s manifest Class-Path ("
                            + entries
                            + " entries, "
                            + present.size()
                            + " jars in the folder)"
                            + "\n  named by the manifest, missing from the folder: "
                            + missing
                            + "\n  in the folder, not named by the manifest: "
                            + extra
                            + "\n  (pin the manifest's versions in james-runtime/pom.xml's dependencyManagement)");
        }
        System.out.println(
                "james-runtime: "
                        + lib.getFileName()
                        + " holds exactly the "
                        + entries
                        + " jars "
                        + launcher.getFileName()
                        + "'s manifest names");
    }

    private static void fail(String message) {
        System.err.println("james-runtime: " + message);
        System.exit(1);
    }
}
