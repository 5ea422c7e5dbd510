package dev.mailsec.config;

import java.nio.file.Path;

/**
 * Runs test code as if James had been started with {@code -Dworking.directory=DIR} (shared through
 * core's test-jar), restoring the property afterwards.
 */
public final class WorkingDirectory {

    /** What runs with the property set. */
    public interface Body {
        void run() throws Exception;
    }

    private WorkingDirectory() {}

    public static void with(Path dir, Body body) throws Exception {
        String saved = System.getProperty(PackPaths.WORKING_DIRECTORY);
        System.setProperty(PackPaths.WORKING_DIRECTORY, dir.toString());
        try {
            body.run();
        } finally {
            if (saved == null) {
                System.clearProperty(PackPaths.WORKING_DIRECTORY);
            } else {
                System.setProperty(PackPaths.WORKING_DIRECTORY, saved);
            }
        }
    }
}
