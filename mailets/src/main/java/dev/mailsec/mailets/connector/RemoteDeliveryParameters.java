package dev.mailsec.mailets.connector;

import dev.mailsec.config.InitParameters;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import javax.mail.MessagingException;

/**
 * The init parameters James 3.8.1's {@code RemoteDelivery} reads, for its subclasses here: James
 * does not check them, so a misspelt {@code startTLS} or {@code verifyServerIdentity} would
 * silently weaken delivery.
 */
final class RemoteDeliveryParameters {

    /**
     * Every name {@code RemoteDeliveryConfiguration} of James 3.8.1 reads (checked in its
     * bytecode), plus {@code deliveryThreads}, which 3.8.1 ignores but its own sample {@code
     * mailetcontainer.xml} and our generated configuration still carry.
     */
    static final Set<String> JAMES =
            Set.of(
                    "outgoing",
                    "delayTime",
                    "maxRetries",
                    "maxDnsProblemRetries",
                    "deliveryThreads",
                    "sendpartial",
                    "bounceProcessor",
                    "onSuccess",
                    "startTLS",
                    "sslEnable",
                    "verifyServerIdentity",
                    "usePriority",
                    "loadBalancing",
                    "debug",
                    "timeout",
                    "connectiontimeout",
                    "bind",
                    "heloName",
                    "gateway",
                    "gatewayPort",
                    "gatewayUsername",
                    "gatewayusername",
                    "gatewayPassword");

    /** Every parameter starting with this is handed to JavaMail as a session property. */
    static final String JAVAMAIL_PREFIX = "mail.";

    private RemoteDeliveryParameters() {}

    /**
     * Refuses a parameter that is neither James's RemoteDelivery's, a JavaMail property nor one of
     * {@code own}.
     */
    static void check(String mailet, Iterator<String> given, Set<String> own)
            throws MessagingException {
        Set<String> known = new HashSet<>(JAMES);
        known.addAll(own);
        InitParameters.checkKnown(mailet, given, known, JAVAMAIL_PREFIX);
    }
}
