package dev.mailsec.webadmin;

import dev.mailsec.config.ConfigException;
import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.DkmAccessDeniedException;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.DkmNotFoundException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoreFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import spark.HaltException;

/**
 * Key-manager sessions for the routes: the DKM client configuration ({@code dkmConfig}, by default
 * James's own {@code conf/dkm.properties}) and its credential are read once at start (a wrong file
 * stops James, naming it); each request opens its own session on the store, as the WebAdmin caller,
 * and closes it. DKM's failures become WebAdmin's answers: unreachable 503, refused 403, unknown
 * secret 404, bad request 400, anything else (an integrity failure) 500.
 */
final class DkmSessions {
    private final DkmConfig config;
    private final Credential credential;

    DkmSessions(DkmConfig config, Credential credential) {
        this.config = config;
        this.credential = credential;
    }

    static DkmSessions load(Path dkmConfig) {
        try {
            DkmConfig cfg = DkmConfig.load(dkmConfig);
            Path identity =
                    cfg.identity()
                            .orElseThrow(
                                    () ->
                                            new ConfigException(
                                                    WebAdminSettings.FILE,
                                                    WebAdminSettings.DKM_CONFIG,
                                                    dkmConfig.toString(),
                                                    "names no identity= (the credential the routes act with)",
                                                    null));
            return new DkmSessions(cfg, Credential.load(identity));
        } catch (DkmException e) {
            throw new ConfigException(
                    WebAdminSettings.FILE,
                    WebAdminSettings.DKM_CONFIG,
                    dkmConfig.toString(),
                    e.getMessage(),
                    e);
        }
    }

    DkmConfig config() {
        return config;
    }

    /** What runs in a session. */
    interface Work<T> {
        T run(KeyManager km) throws DkmException;
    }

    /** Runs {@code work} in a session acting for {@code caller}. */
    <T> T run(String caller, Work<T> work) {
        Storage storage = null;
        try {
            storage = config.openStorage(false);
            try (KeyManager km =
                    KeyManager.open(
                            storage,
                            config.openRootKeys().orElse(null),
                            credential,
                            Clock.systemUTC())) {
                km.onBehalfOf(caller);
                return work.run(km);
            }
        } catch (DkmException e) {
            throw answer(e);
        } finally {
            if (storage != null) {
                try {
                    storage.close();
                } catch (IOException e) {
                    // closing on the way out
                }
            }
        }
    }

    static HaltException answer(DkmException e) {
        if (e instanceof StoreFormatException) {
            // written by a newer mailsec: no retry helps, so not 503
            return Answers.serverError("DKM store refused: " + e.getMessage());
        }
        if (e instanceof DkmUnavailableException) {
            return Answers.unavailable("DKM unavailable: " + e.getMessage());
        }
        if (e instanceof DkmAccessDeniedException) {
            return Answers.refused("DKM refused: " + e.getMessage());
        }
        if (e instanceof DkmNotFoundException) {
            return Answers.notFound(e.getMessage());
        }
        if (e instanceof DkmInvalidRequestException) {
            return Answers.badRequest("request", e.getMessage());
        }
        return Answers.serverError("DKM integrity failure: " + e.getMessage());
    }
}
