package dev.mailsec.tls.connector;

import java.io.IOException;

/** Where an outbound connector's client certificate comes from (DKM, or a fake in tests). */
public interface ClientKeySource {

    /**
     * The current key and chain, read now (not from a cache).
     *
     * @throws IOException when the source cannot be reached now (a temporary failure: the mail
     *     waits)
     * @throws InvalidConnectorsException when what it holds cannot be used (no such secret, not
     *     readable by this identity, key of another certificate, expired)
     */
    ClientKey load() throws IOException, InvalidConnectorsException;

    /** What it reads, for messages: e.g. {@code dkm:tls/partner-bank}. */
    String describe();
}
