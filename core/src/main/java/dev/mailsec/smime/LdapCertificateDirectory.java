package dev.mailsec.smime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.SizeLimitExceededException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipient certificates from LDAP or Active Directory: searches {@code baseDn} with a filter whose
 * {@code {0}} is the address (default {@code (|(mail={0})(proxyAddresses=smtp:{0}))}, JNDI escapes
 * the value per RFC 4515, so an address cannot change the filter), and reads {@code
 * userCertificate;binary} (DER) and {@code userSMIMECertificate} (a PKCS#7 bundle, as Outlook
 * publishes it). Answers, also "none", are cached for {@code ttl}; connect and read time out. A
 * directory that cannot be reached is an {@link IOException}, never an empty answer.
 *
 * <p>Uses the JDK's LDAP provider (JNDI): nothing to ship, and the same on every James.
 */
public final class LdapCertificateDirectory implements CertificateDirectory {

    private static final Logger LOGGER = LoggerFactory.getLogger(LdapCertificateDirectory.class);
    public static final String DEFAULT_FILTER = "(|(mail={0})(proxyAddresses=smtp:{0}))";
    private static final String[] ATTRIBUTES = {"userCertificate;binary", "userSMIMECertificate"};

    private final String url;
    private final String baseDn;
    private final LdapBind bind;
    private final LdapTls tls;
    private final String filter;
    private final Duration timeout;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    private static final class Entry {
        final List<X509Certificate> certificates;
        final Instant expires;

        Entry(List<X509Certificate> certificates, Instant expires) {
            this.certificates = certificates;
            this.expires = expires;
        }
    }

    /**
     * @param filter must contain {@code {0}}
     */
    public LdapCertificateDirectory(
            String url,
            String baseDn,
            LdapBind bind,
            String filter,
            Duration timeout,
            Duration ttl,
            Clock clock) {
        this(url, baseDn, bind, LdapTls.jvmDefault(), filter, timeout, ttl, clock);
    }

    /**
     * @param tls the trust for an {@code ldaps://} URL
     * @param filter must contain {@code {0}}
     */
    public LdapCertificateDirectory(
            String url,
            String baseDn,
            LdapBind bind,
            LdapTls tls,
            String filter,
            Duration timeout,
            Duration ttl,
            Clock clock) {
        if (!url.startsWith("ldap://") && !url.startsWith("ldaps://")) {
            throw new IllegalArgumentException(
                    "ldapUrl: must start with ldap:// or ldaps://, got '" + url + "'");
        }
        if (!filter.contains("{0}")) {
            throw new IllegalArgumentException(
                    "ldapFilter: must contain {0} for the address, got '" + filter + "'");
        }
        this.url = url;
        this.baseDn = baseDn;
        this.bind = Objects.requireNonNull(bind, "bind");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.filter = filter;
        this.timeout = timeout;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public List<X509Certificate> lookup(String address) throws IOException {
        String key = address.trim().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Entry cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires)) {
            return cached.certificates;
        }
        List<X509Certificate> found = search(key);
        cache.put(key, new Entry(found, now.plus(ttl)));
        return found;
    }

    private List<X509Certificate> search(String address) throws IOException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put("com.sun.jndi.ldap.connect.timeout", Long.toString(timeout.toMillis()));
        env.put("com.sun.jndi.ldap.read.timeout", Long.toString(timeout.toMillis()));
        env.put("java.naming.ldap.attributes.binary", "userSMIMECertificate userCertificate");
        env.put(Context.REFERRAL, "ignore");
        DirContext context = null;
        try {
            context = bind.connect(env, tls);
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setReturningAttributes(ATTRIBUTES);
            controls.setCountLimit(50);
            controls.setTimeLimit((int) timeout.toMillis());
            List<X509Certificate> certificates = new ArrayList<>();
            NamingEnumeration<SearchResult> results =
                    context.search(baseDn, filter, new Object[] {address}, controls);
            try {
                while (results.hasMore()) {
                    SearchResult r = results.next();
                    collect(
                            r,
                            r.getAttributes().get("userCertificate;binary"),
                            false,
                            certificates);
                    collect(r, r.getAttributes().get("userSMIMECertificate"), true, certificates);
                    collect(
                            r,
                            r.getAttributes().get("userSMIMECertificate;binary"),
                            true,
                            certificates);
                }
            } catch (SizeLimitExceededException e) {
                LOGGER.warn(
                        "S/MIME LDAP: more than 50 entries for {}; using the first 50", address);
            }
            return List.copyOf(certificates);
        } catch (AuthenticationException e) {
            throw new IOException(
                    "LDAP server "
                            + url
                            + " refused the bind as "
                            + bind
                            + ": "
                            + e.getExplanation(),
                    e);
        } catch (NamingException e) {
            throw new IOException("LDAP lookup at " + url + " failed: " + LdapTls.describe(e), e);
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException e) {
                    LOGGER.debug("S/MIME LDAP: close failed", e);
                }
            }
            LdapBind.wipe(env);
        }
    }

    private static void collect(
            SearchResult entry, Attribute attribute, boolean pkcs7, List<X509Certificate> out)
            throws NamingException {
        if (attribute == null) {
            return;
        }
        for (int i = 0; i < attribute.size(); i++) {
            Object value = attribute.get(i);
            if (!(value instanceof byte[])) {
                continue;
            }
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                if (pkcs7) {
                    Collection<? extends Certificate> certs =
                            factory.generateCertificates(new ByteArrayInputStream((byte[]) value));
                    for (Certificate c : certs) {
                        out.add((X509Certificate) c);
                    }
                } else {
                    out.add(
                            (X509Certificate)
                                    factory.generateCertificate(
                                            new ByteArrayInputStream((byte[]) value)));
                }
            } catch (CertificateException e) {
                LOGGER.info(
                        "S/MIME LDAP: skipping an unreadable certificate value in {}: {}",
                        entry.getNameInNamespace(),
                        e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "LdapCertificateDirectory{" + url + ", " + baseDn + ", bind=" + bind + "}";
    }
}
