package dev.mailsec.tls.connector.dane;

import java.util.List;

/** DANE decisions made by hand, for tests outside this package. */
public final class DanePolicyFixtures {

    private DanePolicyFixtures() {}

    /** A {@code DANE} decision for {@code domain} with one authenticated MX host. */
    public static DanePolicy authenticated(String domain, String host, TlsaRecord... records) {
        return new DanePolicy(
                domain,
                DanePolicy.Kind.DANE,
                List.of(new DaneHost(host, DaneHost.Mode.AUTHENTICATED, List.of(records), "")),
                "");
    }
}
