package dev.mailsec.config.reload;

import java.nio.file.Path;

/**
 * Where reloads are recorded. Every {@link ReloadableFile} logs each reload on the logger {@code
 * dev.mailsec.reload} (applied and refused: WARN); an adapter that can record more (the WebAdmin
 * routes, in DKM's audit log on behalf of the caller) passes its own to {@link
 * ReloadableFile#reload(String, ReloadAudit)}.
 */
public interface ReloadAudit {

    /** A reload that was read and checked; {@link ReloadOutcome#applied()} says if it swapped. */
    void applied(ReloadOutcome outcome);

    /** A reload refused with {@code reason}; the running generation stays. */
    void refused(String kind, Path file, String who, long runningGeneration, String reason);

    /** Records nothing. */
    ReloadAudit NONE =
            new ReloadAudit() {
                @Override
                public void applied(ReloadOutcome outcome) {}

                @Override
                public void refused(
                        String kind,
                        Path file,
                        String who,
                        long runningGeneration,
                        String reason) {}
            };
}
