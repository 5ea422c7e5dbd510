package dev.mailsec.cli.check;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the pack's own {@code init} validation of every mailet, matcher and hook of a James home, as
 * James would load them: a class loader over James's library folder and {@code extensions-jars/}
 * (recursively), whose parent is the platform class loader (none of this command's classes leak
 * in), and in it the pack's {@code dev.mailsec.mailets.check.ConfigurationCheck}, called by
 * reflection with JDK types only.
 */
final class PipelineCheck {
    static final String CHECKER = "dev.mailsec.mailets.check.ConfigurationCheck";
    static final String LIB = "james-server-memory-app.lib";
    static final String LAUNCHER = "james-server-memory-app.jar";

    private PipelineCheck() {}

    /**
     * Reports one line per pack mailet, matcher and hook; returns the pack's mailets with their
     * parameters (empty when the pipeline could not be checked, which is then reported as an
     * error).
     */
    static List<Map<String, String>> run(Path home, Report report) {
        List<Map<String, String>> mailets = new ArrayList<>();
        List<URL> classPath;
        try {
            classPath = classPath(home);
        } catch (IOException e) {
            report.error("james home " + home, Report.message(e));
            return mailets;
        }
        report.ok("james home " + home + " (" + classPath.size() + " jars)");
        ClassLoader previousLoader = Thread.currentThread().getContextClassLoader();
        String previousLogback = System.getProperty("logback.configurationFile");
        Path quiet = null;
        try (URLClassLoader loader =
                new URLClassLoader(
                        classPath.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            // James's logback would print every mailet's start-up log here: the lines below are the
            // output
            quiet = Files.createTempFile("mailsec-check-logback", ".xml");
            Files.write(
                    quiet,
                    "<configuration><root level=\"OFF\"/></configuration>\n"
                            .getBytes(StandardCharsets.UTF_8));
            System.setProperty("logback.configurationFile", quiet.toString());
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> checker;
            try {
                checker = Class.forName(CHECKER, true, loader);
            } catch (ClassNotFoundException e) {
                report.error(
                        "pack",
                        "extensions-jars/ holds no "
                                + CHECKER
                                + ": the pack is not installed in "
                                + home
                                + ", or is an older version without 'check'");
                return mailets;
            }
            Method run = checker.getMethod("run", Path.class, List.class, Consumer.class);
            Consumer<String> lines = report::line;
            run.invoke(null, home, mailets, lines);
        } catch (InvocationTargetException e) {
            report.error("pipeline", "the check itself failed: " + Report.message(e.getCause()));
        } catch (IOException | ReflectiveOperationException | LinkageError e) {
            report.error(
                    "pipeline",
                    "cannot load the pack with James's libraries: " + Report.message(e));
        } finally {
            Thread.currentThread().setContextClassLoader(previousLoader);
            if (previousLogback == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", previousLogback);
            }
            deleteQuietly(quiet);
        }
        return mailets;
    }

    /**
     * James's own libraries and launcher, then every jar under {@code extensions-jars/}, as James
     * loads them.
     */
    static List<URL> classPath(Path home) throws IOException {
        Path lib = home.resolve(LIB);
        if (!Files.isDirectory(lib)) {
            throw new IOException("not a James 3.8.1 home: no " + LIB + "/ folder in " + home);
        }
        List<Path> jars = new ArrayList<>(jars(lib, 1));
        if (Files.isRegularFile(home.resolve(LAUNCHER))) {
            jars.add(home.resolve(LAUNCHER));
        }
        Path extensions = home.resolve("extensions-jars");
        if (!Files.isDirectory(extensions)) {
            throw new IOException(
                    "no extensions-jars/ folder in " + home + ": the pack is not installed");
        }
        jars.addAll(jars(extensions, Integer.MAX_VALUE));
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IOException(jar + ": " + e.getMessage(), e);
            }
        }
        return urls;
    }

    private static List<Path> jars(Path folder, int depth) throws IOException {
        try (Stream<Path> files = Files.walk(folder, depth, FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(
                            p ->
                                    p.getFileName().toString().endsWith(".jar")
                                            && Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file of a few bytes: nothing else to do
            }
        }
    }
}
