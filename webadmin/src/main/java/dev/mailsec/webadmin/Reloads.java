package dev.mailsec.webadmin;

import dev.mailsec.config.reload.ReloadAudit;
import dev.mailsec.config.reload.ReloadOutcome;
import dev.mailsec.config.reload.ReloadRefusedException;
import dev.mailsec.config.reload.ReloadableFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.HaltException;
import spark.Request;

/**
 * {@code POST .../reload} of a configuration file: re-read now, refused with the start's message
 * (400, the running generation stays), or applied and answered with what changed. Every reload,
 * applied or refused, is logged on {@code dev.mailsec.reload} and recorded in DKM's audit log by
 * the routes' DKM identity on behalf of the WebAdmin caller ({@code dkm audit tail}: {@code
 * james-transport reload /opt/james/conf/connectors.xml v3 ok reason="connectors generation 2 -> 3:
 * outbound connector 'red' changed; on behalf of webadmin:ops"}).
 */
final class Reloads {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailsec.reload");

    private final DkmSessions dkm;

    Reloads(DkmSessions dkm) {
        this.dkm = dkm;
    }

    String reload(Request request, ReloadableFile<?> live) {
        String caller = Caller.of(request);
        try {
            ReloadOutcome o = live.reload(caller, new DkmAudit(caller));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", o.file().toString());
            out.put("applied", o.applied());
            out.put("previousGeneration", o.previousGeneration());
            out.put("generation", o.generation());
            out.put("changes", o.changes());
            out.put("by", o.who());
            return Answers.json(out);
        } catch (ReloadRefusedException e) {
            throw Answers.invalid(e.getMessage());
        }
    }

    /**
     * Records each reload in DKM's audit log; a DKM that cannot be reached is logged, not fatal.
     */
    private final class DkmAudit implements ReloadAudit {
        private final String caller;

        DkmAudit(String caller) {
            this.caller = caller;
        }

        @Override
        public void applied(ReloadOutcome outcome) {
            record(
                    outcome.file(),
                    (int) outcome.generation(),
                    "ok",
                    outcome.kind()
                            + (outcome.applied()
                                    ? " generation "
                                            + outcome.previousGeneration()
                                            + " -> "
                                            + outcome.generation()
                                    : " unchanged")
                            + (outcome.changes().isEmpty()
                                    ? ""
                                    : ": " + String.join("; ", outcome.changes())));
        }

        @Override
        public void refused(
                String kind, Path file, String who, long runningGeneration, String reason) {
            record(
                    file,
                    (int) runningGeneration,
                    "refused",
                    kind + " generation " + runningGeneration + " stays: " + reason);
        }

        private void record(Path file, int generation, String outcome, String detail) {
            try {
                dkm.run(
                        caller,
                        km -> {
                            km.recordChange("reload", file.toString(), generation, outcome, detail);
                            return null;
                        });
            } catch (HaltException e) {
                // the reload stands; dev.mailsec.reload has its line
                LOG.warn(
                        "reload of {} by {} not recorded in DKM's audit log (status {})",
                        file,
                        caller,
                        e.statusCode());
            }
        }
    }
}
