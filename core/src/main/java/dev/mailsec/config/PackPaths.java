package dev.mailsec.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The one rule for every path in the pack's configuration (docs/paths.md): a relative path resolves
 * against James's working directory, the system property {@code working.directory} (James is
 * started from its home with {@code -Dworking.directory=.}), or the process's current directory
 * when that property is unset. As in James's own FileSystem, {@code file://conf/x} is the relative
 * path {@code conf/x} and {@code file:///etc/x} is absolute; a plain {@code file:x} is treated like
 * {@code x}. Processes outside James (the portal, the rights commands) set {@code
 * working.directory} from their {@code --james-home}.
 *
 * <p>The key manager ({@code dkm}, which imports nothing of ours) applies the same rule to the
 * paths inside {@code dkm.properties} in {@code DkmConfig}.
 */
public final class PackPaths {

    /** The system property James's launcher sets to its home; also set by {@code --james-home}. */
    public static final String WORKING_DIRECTORY = "working.directory";

    private PackPaths() {}

    /**
     * The directory relative paths resolve against: {@code working.directory}, else the current
     * directory.
     */
    public static Path home() {
        String wd = System.getProperty(WORKING_DIRECTORY);
        Path base = wd == null || wd.trim().isEmpty() ? Paths.get("") : Paths.get(wd.trim());
        return base.toAbsolutePath().normalize();
    }

    /**
     * Where a configured path points, resolved against {@link #home()}: absolute and normalised.
     *
     * @throws IllegalArgumentException for a blank value or one that is not a path, naming the
     *     value (callers put the parameter's name in front)
     */
    public static Path resolve(String configured) {
        return resolve(home(), configured);
    }

    /**
     * Where a configured path points, relative paths resolved against {@code base} (a James home):
     * absolute and normalised.
     *
     * @throws IllegalArgumentException for a blank value or one that is not a path, naming the
     *     value
     */
    public static Path resolve(Path base, String configured) {
        if (configured == null || configured.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    "a path is required, got '" + (configured == null ? "" : configured) + "'");
        }
        String s = configured.trim();
        String path;
        if (s.startsWith("file://")) {
            // file:///abs keeps its leading slash; file://conf/x is conf/x, as James's FileSystem
            // reads it
            path = s.substring("file://".length());
        } else if (s.startsWith("file:")) {
            path = s.substring("file:".length());
        } else {
            path = s;
        }
        if (path.isEmpty()
                || path.indexOf('\0') >= 0
                || path.indexOf('\n') >= 0
                || path.indexOf('\r') >= 0
                || path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("not a file path: '" + configured + "'");
        }
        Path p;
        try {
            p = Paths.get(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    "not a file path: '" + configured + "' (" + e.getReason() + ")", e);
        }
        return (p.isAbsolute() ? p : base.toAbsolutePath().resolve(p)).normalize();
    }
}
