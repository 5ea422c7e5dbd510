package dev.mailsec.mailets.smime;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.smime.DkmSmimeKeySource;
import dev.mailsec.smime.SmimeKeySource;
import dev.mailsec.smime.SmimeSettings;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The key-source parameters shared by {@link SignSmime} and {@link DecryptSmime}: exactly one of
 * {@code keySource=dkm} (keys from the DKM secret {@code smime/<address>}, read through the shared
 * client of {@code dkmConfig}, default {@code conf/dkm.properties}) or {@code keyFolder} (PEM
 * pairs).
 */
final class SmimeKeys {

    static final String KEY_SOURCE = "keySource";
    static final String DKM_CONFIG = "dkmConfig";
    static final String KEY_FOLDER = "keyFolder";
    static final Set<String> PARAMETERS = Set.of(KEY_SOURCE, DKM_CONFIG, KEY_FOLDER);

    private SmimeKeys() {}

    /**
     * @param parameter reads an init parameter (null when absent)
     * @throws IllegalArgumentException naming the parameter and the bad value
     */
    static SmimeKeySource from(UnaryOperator<String> parameter) {
        String source = parameter.apply(KEY_SOURCE);
        String folder = parameter.apply(KEY_FOLDER);
        String config = parameter.apply(DKM_CONFIG);
        if (source != null && !source.trim().toLowerCase(Locale.ROOT).equals("dkm")) {
            throw new IllegalArgumentException(
                    KEY_SOURCE
                            + ": only 'dkm' is known (or give "
                            + KEY_FOLDER
                            + " instead), got '"
                            + source
                            + "'");
        }
        if (source != null && folder != null) {
            throw new IllegalArgumentException(
                    "give either " + KEY_SOURCE + "=dkm or " + KEY_FOLDER + ", not both");
        }
        if (source == null && folder == null) {
            throw new IllegalArgumentException(
                    "keys: give "
                            + KEY_SOURCE
                            + "=dkm (with "
                            + DKM_CONFIG
                            + ", default conf/dkm.properties) or "
                            + KEY_FOLDER
                            + " (a folder of PEM key and certificate files)");
        }
        if (folder != null) {
            if (config != null) {
                throw new IllegalArgumentException(
                        DKM_CONFIG
                                + ": only used with "
                                + KEY_SOURCE
                                + "=dkm, got '"
                                + config
                                + "'");
            }
            return SmimeSettings.keyFolder(KEY_FOLDER, folder);
        }
        return new DkmSmimeKeySource(dkm(parameter).get());
    }

    /**
     * The shared DKM client of {@code dkmConfig} (default {@code conf/dkm.properties}), opened when
     * first asked for; a wrong file is an IllegalArgumentException naming {@code dkmConfig}.
     */
    static Supplier<Dkm> dkm(UnaryOperator<String> parameter) {
        return DkmClients.lazy(DKM_CONFIG, parameter.apply(DKM_CONFIG));
    }
}
