package dev.mailsec.smime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.ldap.LdapName;

/**
 * Fetches CRLs over {@code http}, {@code https}, {@code file}, {@code ldap} or {@code ldaps} with
 * connect and read timeouts, and keeps each until its nextUpdate or {@code maxAge}, whichever comes
 * first. A CRL whose signature does not check out is rejected by the JDK's PKIX validator, not
 * here.
 *
 * <p>LDAP distribution points (RFC 4516 URLs, as Active Directory Certificate Services writes them
 * first in every certificate) are read with an anonymous bind through the JDK's LDAP provider: the
 * entry named by the URL's DN, the attribute it names (else {@code certificateRevocationList}),
 * with or without the {@code ;binary} option. An URL without a server ({@code ldap:///CN=...},
 * which Windows resolves to a domain controller) goes to the configured {@link LdapServer}, or
 * fails when there is none. Active Directory lets only authenticated users read its distribution
 * points, so that server's bind (a service account, password in DKM) authenticates to it, and only
 * to it: a distribution point naming any other server is read anonymously, so a certificate cannot
 * send our credentials to a server of its choosing.
 */
public final class CachingCrlSource implements CrlSource {

    private static final int MAX_CRL_BYTES = 32 * 1024 * 1024;

    private final Duration timeout;
    private final Duration maxAge;
    private final Clock clock;
    private final LdapServer ldap;
    private final ConcurrentHashMap<URI, Entry> cache = new ConcurrentHashMap<>();

    private static final class Entry {
        final X509CRL crl;
        final Instant expires;

        Entry(X509CRL crl, Instant expires) {
            this.crl = crl;
            this.expires = expires;
        }
    }

    public CachingCrlSource(Duration timeout, Duration maxAge, Clock clock) {
        this(timeout, maxAge, clock, LdapServer.none());
    }

    /**
     * @param ldap the server for LDAP distribution points that name none, with the bind and TLS
     *     trust used towards it (and towards no other server), or {@link LdapServer#none()}
     */
    public CachingCrlSource(Duration timeout, Duration maxAge, Clock clock, LdapServer ldap) {
        this.timeout = timeout;
        this.maxAge = maxAge;
        this.clock = clock;
        this.ldap = Objects.requireNonNull(ldap, "ldap");
    }

    public CachingCrlSource() {
        this(Duration.ofSeconds(10), Duration.ofHours(1), Clock.systemUTC());
    }

    @Override
    public X509CRL fetch(URI distributionPoint) throws IOException {
        Instant now = clock.instant();
        Entry entry = cache.get(distributionPoint);
        if (entry != null && now.isBefore(entry.expires)) {
            return entry.crl;
        }
        String scheme =
                distributionPoint.getScheme() == null
                        ? ""
                        : distributionPoint.getScheme().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (scheme.equals("ldap") || scheme.equals("ldaps")) {
            bytes = fromLdap(distributionPoint, scheme);
        } else if (scheme.equals("http") || scheme.equals("https") || scheme.equals("file")) {
            URLConnection connection = distributionPoint.toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            try (InputStream in = connection.getInputStream()) {
                bytes = in.readNBytes(MAX_CRL_BYTES + 1);
            }
        } else {
            throw new IOException(
                    "unsupported CRL distribution point scheme: " + distributionPoint);
        }
        if (bytes.length > MAX_CRL_BYTES) {
            throw new IOException(
                    "CRL at " + distributionPoint + " is larger than " + MAX_CRL_BYTES + " bytes");
        }
        X509CRL crl;
        try {
            crl =
                    (X509CRL)
                            CertificateFactory.getInstance("X.509")
                                    .generateCRL(new ByteArrayInputStream(bytes));
        } catch (CRLException | CertificateException e) {
            throw new IOException(
                    "cannot parse the CRL at " + distributionPoint + ": " + e.getMessage(), e);
        }
        Instant expires = now.plus(maxAge);
        if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(expires)) {
            expires = crl.getNextUpdate().toInstant();
        }
        cache.put(distributionPoint, new Entry(crl, expires));
        return crl;
    }

    /** The CRL at an RFC 4516 URL: {@code ldap://host:port/DN?attribute?base}. */
    private byte[] fromLdap(URI uri, String scheme) throws IOException {
        String server = uri.getHost() != null ? scheme + "://" + uri.getRawAuthority() : ldap.url();
        boolean configured = uri.getHost() == null || sameServer(uri, ldap.url());
        LdapBind bind = configured ? ldap.bind() : LdapBind.anonymous();
        LdapTls tls = configured ? ldap.tls() : LdapTls.jvmDefault();
        if (server == null) {
            throw new IOException(
                    "CRL distribution point "
                            + uri
                            + " names no LDAP server, and none is configured for it");
        }
        String dn = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (dn.isEmpty()) {
            throw new IOException("CRL distribution point " + uri + " names no entry");
        }
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        String named = query.split("\\?", -1)[0].trim();
        // the base name: a server answers for certificateRevocationList with
        // certificateRevocationList;binary
        String attribute =
                named.isEmpty()
                        ? "certificateRevocationList"
                        : named.replaceFirst("(?i);binary$", "");
        String[] attributes = {attribute + ";binary", attribute};
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, server);
        env.put("com.sun.jndi.ldap.connect.timeout", Long.toString(timeout.toMillis()));
        env.put("com.sun.jndi.ldap.read.timeout", Long.toString(timeout.toMillis()));
        // without ;binary the JDK would hand these DER values over as strings
        env.put(
                "java.naming.ldap.attributes.binary",
                "certificateRevocationList authorityRevocationList deltaRevocationList "
                        + String.join(" ", attributes));
        DirContext context = null;
        try {
            context = bind.connect(env, tls);
            Attributes found = context.getAttributes(new LdapName(dn), attributes);
            NamingEnumeration<? extends Attribute> all = found.getAll();
            while (all.hasMore()) {
                Attribute values = all.next();
                String id = values.getID().replaceFirst("(?i);binary$", "");
                if (id.equalsIgnoreCase(attribute)
                        && values.size() > 0
                        && values.get() instanceof byte[]) {
                    return (byte[]) values.get();
                }
            }
            throw new IOException("LDAP entry " + dn + " at " + server + " has no " + attribute);
        } catch (NamingException e) {
            throw new IOException(
                    "cannot read the CRL at "
                            + uri
                            + " from "
                            + server
                            + ": "
                            + LdapTls.describe(e),
                    e);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "cannot read the CRL at " + uri + " from " + server + ": " + e.getMessage(), e);
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException e) {
                    // the answer is in hand; a failed close changes nothing
                }
            }
            LdapBind.wipe(env);
        }
    }

    /**
     * Whether a distribution point names the configured server (scheme, host and port; default
     * ports filled in).
     */
    static boolean sameServer(URI distributionPoint, String configured) {
        if (configured == null || distributionPoint.getHost() == null) {
            return false;
        }
        URI server = URI.create(configured);
        String a = distributionPoint.getScheme().toLowerCase(Locale.ROOT);
        String b = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        return a.equals(b)
                && server.getHost() != null
                && distributionPoint.getHost().equalsIgnoreCase(server.getHost())
                && port(distributionPoint, a) == port(server, b);
    }

    private static int port(URI uri, String scheme) {
        return uri.getPort() >= 0 ? uri.getPort() : scheme.equals("ldaps") ? 636 : 389;
    }
}
