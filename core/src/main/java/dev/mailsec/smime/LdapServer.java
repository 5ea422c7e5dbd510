package dev.mailsec.smime;

import java.util.Objects;

/**
 * An LDAP server mailsec reads from, with how it binds and what it trusts for {@code ldaps://}: the
 * server of LDAP CRL distribution points that name none ({@code crlLdapUrl}). {@link #none()} when
 * not configured.
 */
public final class LdapServer {

    private static final LdapServer NONE =
            new LdapServer(null, LdapBind.anonymous(), LdapTls.jvmDefault());

    private final String url;
    private final LdapBind bind;
    private final LdapTls tls;

    private LdapServer(String url, LdapBind bind, LdapTls tls) {
        this.url = url;
        this.bind = bind;
        this.tls = tls;
    }

    public static LdapServer none() {
        return NONE;
    }

    /**
     * @param url {@code ldap://host[:port]} or {@code ldaps://...}
     */
    public static LdapServer of(String url, LdapBind bind, LdapTls tls) {
        return new LdapServer(
                Objects.requireNonNull(url, "url"),
                Objects.requireNonNull(bind, "bind"),
                Objects.requireNonNull(tls, "tls"));
    }

    /** The URL, or {@code null} for {@link #none()}. */
    public String url() {
        return url;
    }

    public LdapBind bind() {
        return bind;
    }

    public LdapTls tls() {
        return tls;
    }

    @Override
    public String toString() {
        return url == null ? "none" : url + " (bind " + bind + ", TLS trust " + tls + ")";
    }
}
