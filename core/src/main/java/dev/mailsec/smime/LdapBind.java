package dev.mailsec.smime;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmAccessDeniedException;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmInvalidRequestException;
import dev.mailsec.dkm.DkmUnavailableException;
import dev.mailsec.dkm.SecretHandle;
import dev.mailsec.dkm.SecretKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Objects;
import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;

/**
 * How mailsec authenticates to an LDAP server: anonymously, or with a simple bind whose password is
 * read from an OPAQUE secret in the DKM key manager (UTF-8) at every connection, or, discouraged,
 * given in clear in the configuration. A password from DKM follows a rollover there: the next
 * connection after the client's cache expires binds with the new primary version, and a bind the
 * server refuses is tried once more with the secret read again from the store ({@code applyTo(env,
 * true)}), so an operator changes the account's password in the directory, then adds and promotes
 * the new value in DKM, without restarting James.
 *
 * <p>The password is handed to the JDK's LDAP provider as a {@code char[]} that is wiped when the
 * connection is closed ({@link #wipe}); it is never in {@link #toString()} or an exception message.
 */
public final class LdapBind {

    /** Reads the password; a fresh array each call, which the caller wipes. */
    private interface PasswordSource {
        char[] read(boolean fresh) throws IOException;
    }

    private static final LdapBind ANONYMOUS = new LdapBind(null, null, "anonymous", false);

    private final String dn;
    private final PasswordSource password;
    private final String description;
    private final boolean refreshable;

    private LdapBind(String dn, PasswordSource password, String description, boolean refreshable) {
        this.dn = dn;
        this.password = password;
        this.description = description;
        this.refreshable = refreshable;
    }

    public static LdapBind anonymous() {
        return ANONYMOUS;
    }

    /**
     * A simple bind with a password from the configuration (kept in memory for the life of this
     * object).
     */
    public static LdapBind withPassword(String dn, char[] password) {
        char[] kept = Objects.requireNonNull(password, "password").clone();
        return new LdapBind(
                requireDn(dn),
                fresh -> kept.clone(),
                requireDn(dn) + " (password from the configuration)",
                false);
    }

    /**
     * A simple bind with the password in the OPAQUE DKM secret {@code secretName}, primary version.
     */
    public static LdapBind withDkmSecret(String dn, Dkm dkm, String secretName) {
        Objects.requireNonNull(dkm, "dkm");
        Objects.requireNonNull(secretName, "secretName");
        return new LdapBind(
                requireDn(dn),
                fresh -> readSecret(dkm, secretName, fresh),
                requireDn(dn) + " (password from DKM secret " + secretName + ")",
                true);
    }

    private static String requireDn(String dn) {
        if (dn == null || dn.trim().isEmpty()) {
            throw new IllegalArgumentException("bind DN: required for a simple bind");
        }
        return dn.trim();
    }

    public boolean isAnonymous() {
        return dn == null;
    }

    /** The bind DN, or {@code null} when anonymous. */
    public String dn() {
        return dn;
    }

    /** Whether a fresh read can give another password than the last one (a DKM secret can). */
    boolean refreshable() {
        return refreshable;
    }

    /**
     * Reads the password now, so a start-up check finds a missing secret, a secret of the wrong
     * kind or refused access before the first message does.
     *
     * @throws IOException with the reason (no password in it)
     */
    public void check() throws IOException {
        if (password != null) {
            Arrays.fill(password.read(false), '\0');
        }
    }

    /**
     * Puts the authentication into a JNDI environment; {@code fresh} reads a DKM secret past the
     * client's cache (after the server refused the cached one). Call {@link #wipe} on the
     * environment when done.
     */
    void applyTo(Hashtable<String, Object> env, boolean fresh) throws IOException {
        if (dn == null) {
            env.put(Context.SECURITY_AUTHENTICATION, "none");
            return;
        }
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, dn);
        env.put(Context.SECURITY_CREDENTIALS, password.read(fresh));
    }

    /**
     * Opens a context with this bind; a bind the server refuses is tried once more with a DKM
     * secret read past the client's cache (the password may have been rolled over since). Call
     * {@link #wipe} when done.
     */
    DirContext connect(Hashtable<String, Object> env, LdapTls tls)
            throws NamingException, IOException {
        applyTo(env, false);
        try {
            return tls.open(env);
        } catch (AuthenticationException e) {
            if (!refreshable) {
                throw e;
            }
            wipe(env);
            applyTo(env, true);
            return tls.open(env);
        }
    }

    /** Overwrites the password {@link #applyTo} put into {@code env}. */
    static void wipe(Hashtable<String, Object> env) {
        Object credentials = env.remove(Context.SECURITY_CREDENTIALS);
        if (credentials instanceof char[]) {
            Arrays.fill((char[]) credentials, '\0');
        }
    }

    private static char[] readSecret(Dkm dkm, String name, boolean fresh) throws IOException {
        SecretHandle handle;
        try {
            handle = fresh ? dkm.refresh(name) : dkm.secret(name);
        } catch (DkmUnavailableException e) {
            throw new IOException(
                    "DKM unavailable reading the LDAP password secret "
                            + name
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (DkmInvalidRequestException e) {
            throw new IOException("LDAP password secret " + name + ": " + e.getMessage(), e);
        } catch (DkmAccessDeniedException e) {
            throw new IOException(
                    "DKM refused access to the LDAP password secret "
                            + name
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (DkmException e) {
            throw new IOException(
                    "LDAP password secret " + name + " cannot be read: " + e.getMessage(), e);
        }
        if (handle.kind() != SecretKind.OPAQUE) {
            throw new IOException(
                    "LDAP password secret "
                            + name
                            + " is a "
                            + handle.kind()
                            + " secret, not OPAQUE");
        }
        byte[] value = handle.primary().value();
        try {
            CharBuffer chars =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(value));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            if (out.length == 0) {
                throw new IOException(
                        "LDAP password secret "
                                + name
                                + " is empty (an empty password would bind anonymously)");
            }
            return out;
        } catch (CharacterCodingException e) {
            throw new IOException("LDAP password secret " + name + " is not UTF-8 text", e);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
