package dev.mailsec.smime;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509CRL;

/** Fetches the CRL published at a CRL distribution point. */
public interface CrlSource {

    /**
     * @throws IOException when the CRL cannot be fetched or parsed (the verifier reports {@link
     *     SmimeResult#TEMPERROR}, never a pass)
     */
    X509CRL fetch(URI distributionPoint) throws IOException;
}
