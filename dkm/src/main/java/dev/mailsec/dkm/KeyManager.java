package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.Storage;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A session of one identity with the key manager: every operation of the DKM, checked against the
 * caller's role and recorded in the audit log. This class is the façade; the work is done by
 * package-private rooms, one job each: {@link Authorisation}, {@link Envelope} (sealing and
 * associated data), {@link Secrets} and {@link SecretVersions} (whose {@code validate} holds a
 * secret's invariants: one primary, versions numbered from 1), {@link Identities}, {@link
 * AccessGrants} (elevated access, no standing access for people), {@link Rotation}, {@link
 * AuditLog} and {@link AuditCheck}, {@link StoreCopy}, and {@link RecordRepository}, whose {@code
 * update} runs the one compare-and-set retry loop ({@link dev.mailsec.dkm.store.CompareAndSet}).
 *
 * <p>Key hierarchy: a secret version's value is sealed under its own data key (AES-256-GCM); the
 * data key is wrapped by a version of its group's keyset; the keyset is sealed to each member
 * identity's X25519 key and wrapped by the root key. Associated data binds every ciphertext to
 * secret name, version, group and keyset version, so nothing can be moved elsewhere in the store.
 *
 * <p>Thread-safe. Operations that need the root key (admin operations) fail with {@link
 * DkmAccessDeniedException} in a session opened without one.
 */
public final class KeyManager implements AutoCloseable {
    private final AuthenticatedStorage storage;
    private final Authorisation auth;
    private final AuditLog audit;
    private final GroupKeys keys;
    private final Identities identities;
    private final Secrets secrets;
    private final Exports exports;
    private final AccessGrants grants;
    private final StorePolicy policy;
    private final Rotation rotation;
    private final AuditCheck auditCheck;

    KeyManager(
            AuthenticatedStorage storage,
            RootKeys rootKeys,
            Clock clock,
            Credential credential,
            IdentityRecord actor,
            byte[] auditKey,
            Duration keysetCacheTtl) {
        this.storage = storage;
        RecordRepository records = new RecordRepository(storage);
        this.audit = new AuditLog(storage.raw(), clock, actor.name, auditKey);
        SessionKeys sessionKeys = new SessionKeys(storage, rootKeys, records, actor.name, audit);
        storage.keys(sessionKeys);
        this.auth = new Authorisation(actor, credential, rootKeys, records, audit);
        this.keys = new GroupKeys(records, auth, clock, keysetCacheTtl);
        sessionKeys.groupKeys(keys);
        this.identities = new Identities(records, auth, keys, audit, clock);
        this.policy = new StorePolicy(records, auth, audit);
        this.grants = new AccessGrants(records, auth, keys, policy, audit, clock);
        this.secrets = new Secrets(records, auth, keys, grants, audit, clock);
        this.exports = new Exports(records, auth, keys, audit, clock);
        this.rotation = new Rotation(records, auth, keys, secrets, grants, policy, audit, clock);
        this.auditCheck = new AuditCheck(records, auth, audit);
    }

    // opening

    /**
     * Initialises an empty store: creates the first root key, the store metadata and a first admin
     * identity (a person) whose credential is written to {@code adminCredential} (mode 0600).
     */
    public static KeyManager init(
            Storage rawStorage,
            RootKeys rootKeys,
            String adminName,
            Path adminCredential,
            Clock clock)
            throws DkmException {
        return StoreOpening.init(rawStorage, rootKeys, adminName, adminCredential, clock);
    }

    /** Opens a session as the holder of {@code credential}; {@code rootKeys} may be null. */
    public static KeyManager open(
            Storage storage, RootKeys rootKeys, Credential credential, Clock clock)
            throws DkmException {
        return open(storage, rootKeys, credential, clock, Duration.ofMinutes(5));
    }

    static KeyManager open(
            Storage rawStorage,
            RootKeys rootKeys,
            Credential credential,
            Clock clock,
            Duration keysetCacheTtl)
            throws DkmException {
        return StoreOpening.open(rawStorage, rootKeys, credential, clock, keysetCacheTtl);
    }

    /** The identity this session acts as. */
    public String identity() {
        return auth.name();
    }

    public boolean isAdmin() {
        return auth.actor.admin;
    }

    public IdentityType identityType() {
        return auth.actor.type;
    }

    /**
     * Records {@code principal} (e.g. {@code webadmin:alice}, the WebAdmin user an adapter acts
     * for) in the reason of every audit record this session writes from now on. The record's writer
     * stays this session's identity, the one DKM authenticated: the principal is what the adapter
     * vouches for, never a DKM identity.
     */
    public void onBehalfOf(String principal) {
        audit.onBehalfOf(principal);
    }

    /**
     * Records a change an adapter made outside the key manager (a configuration reload requested
     * through WebAdmin) in the audit log, written by this session's identity like every record,
     * with {@link #onBehalfOf}'s principal in its reason. {@code action} names the change ({@code
     * reload}), {@code subject} what it changed (a file), {@code version} a generation (0: none),
     * {@code outcome} {@code ok} or {@code refused}.
     */
    public void recordChange(
            String action, String subject, int version, String outcome, String detail)
            throws DkmException {
        audit.record(action, subject, version, outcome, detail);
    }

    // identities and groups

    /** Creates an identity and writes its credential file (0600). Admin only. */
    public void createIdentity(String name, IdentityType type, boolean admin, Path credentialFile)
            throws DkmException {
        identities.createIdentity(name, type, admin, credentialFile);
    }

    /** Creates a group with a fresh keyset (version 1, primary). Admin only. */
    public void createGroup(String name) throws DkmException {
        identities.createGroup(name);
    }

    /**
     * Makes a service identity a member: seals the group keyset to its key. People cannot be
     * members (no standing human access). Admin only; needs the root key.
     */
    public void addMember(String group, String identity) throws DkmException {
        identities.addMember(group, identity);
    }

    /**
     * Removes a member and rolls the group keyset over, so the removed key stops opening new data
     * keys.
     */
    public int removeMember(String group, String identity) throws DkmException {
        identities.removeMember(group, identity);
        return rotation.rotateGroupKeyset(group);
    }

    /** Members of a group (identity names). */
    public List<String> members(String group) throws DkmException {
        return identities.members(group);
    }

    // secrets: writing

    /** Creates an OPAQUE or SYMMETRIC secret with version 1 as primary. Admin or group member. */
    public void putSecret(String name, String group, SecretKind kind, byte[] value)
            throws DkmException {
        secrets.createValue(name, group, kind, value);
    }

    /**
     * Creates many OPAQUE or SYMMETRIC secrets of one group in a single store write (e.g. importing
     * the connected-account credentials of a whole tenant). Nothing is written if any name exists
     * already.
     */
    public void importSecrets(String group, SecretKind kind, Map<String, byte[]> values)
            throws DkmException {
        secrets.importSecrets(group, kind, values);
    }

    /** Creates a KEY_PAIR secret (PKCS#8 private key, public key, certificate chain leaf first). */
    public void putKeyPair(
            String name,
            String group,
            PrivateKey privateKey,
            PublicKey publicKey,
            List<X509Certificate> chain)
            throws DkmException {
        secrets.create(
                name,
                group,
                SecretKind.KEY_PAIR,
                SecretMaterial.keyPair(privateKey, publicKey, chain));
    }

    /**
     * Creates a secret from freshly generated material: an AES-256 key, or a key pair ({@code
     * RSA-2048}, {@code Ed25519}...).
     */
    public void generate(String name, String group, SecretKind kind, String algorithm)
            throws DkmException {
        secrets.generate(name, group, kind, algorithm);
    }

    /**
     * Rollover step 1 with a given value: adds a version in state ENABLED (not used for new work
     * yet).
     */
    public int addVersion(String name, byte[] value) throws DkmException {
        return secrets.addValueVersion(name, value);
    }

    /** Rollover step 1 for a key pair supplied from outside (e.g. with a CA-issued certificate). */
    public int addKeyPairVersion(
            String name, PrivateKey privateKey, PublicKey publicKey, List<X509Certificate> chain)
            throws DkmException {
        return secrets.addVersion(name, SecretMaterial.keyPair(privateKey, publicKey, chain));
    }

    /**
     * Rollover step 1 with generated material: a new AES key, or a new key pair of the primary's
     * algorithm and size. OPAQUE secrets need {@link #addVersion(String, byte[])}.
     */
    public int rotate(String name) throws DkmException {
        return secrets.rotate(name);
    }

    /** Rollover step 2: makes an ENABLED version primary; the former primary is archived. */
    public void promote(String name, int version) throws DkmException {
        secrets.promote(name, version);
    }

    /** Destroys a non-primary version's material for good. Admin only. */
    public void destroyVersion(String name, int version) throws DkmException {
        secrets.destroyVersion(name, version);
    }

    // secrets: reading

    /** Names, kinds, groups and version states of every secret. No values. */
    public List<SecretInfo> list() throws DkmException {
        return secrets.list();
    }

    /**
     * Decrypts a secret for a group member (service) or a person holding an unexpired grant. Admins
     * without a grant are refused like anyone else.
     */
    public SecretHandle get(String name) throws DkmException {
        return secrets.get(name);
    }

    /**
     * Exports one version sealed to a recipient identity's key (for backup or to hand a key to
     * another system). The recipient must be a member service of the secret's group. Admin only.
     */
    public byte[] export(String name, int version, String recipient) throws DkmException {
        return exports.export(name, version, recipient);
    }

    /** Opens an export sealed to this session's identity. */
    public SecretVersion openExport(byte[] export) throws DkmException {
        return exports.open(export);
    }

    // elevated access

    /** A person asks for temporary access to one secret. */
    public String requestAccess(String secret, String reason, Duration duration)
            throws DkmException {
        return grants.request(secret, reason, duration);
    }

    /**
     * Approves a pending request. The approver is an admin and never the requester; once the
     * policy's number of distinct approvers is reached, the secret's data keys are sealed to the
     * requester and the grant runs until it expires by itself. Needs the root key.
     */
    public AccessRequest approve(String requestId, String reason) throws DkmException {
        return grants.approve(requestId, reason);
    }

    /** Denies a pending request. Admin, not the requester. */
    public AccessRequest deny(String requestId, String reason) throws DkmException {
        return grants.deny(requestId, reason);
    }

    /**
     * Requests visible to this identity: all for admins, own for others. Expired grants are marked.
     */
    public List<AccessRequest> listRequests() throws DkmException {
        return grants.list();
    }

    // rotation

    /**
     * When the primary version of each group keyset visible to this identity (all for an admin, its
     * own groups otherwise) was created: with {@link DkmPolicy#groupKeysetRollover()}, which keyset
     * rollovers {@link #rotateDue()} would do. No key material.
     */
    public Map<String, Instant> groupKeysetsCreated() throws DkmException {
        return rotation.keysetPrimaryCreated();
    }

    /**
     * Rolls a group keyset over: a new keyset version becomes primary (the old one is archived,
     * still able to open data keys), then every data key of the group is re-wrapped under it.
     * Secret values are not touched. Returns the number of data keys re-wrapped. Needs the root
     * key.
     */
    public int rotateGroupKeyset(String group) throws DkmException {
        return rotation.rotateGroupKeyset(group);
    }

    /**
     * Rotates the root key: creates a new one and re-wraps every group keyset and audit key under
     * it. No secret data and no data key is touched. The old key is kept (returned) until an
     * operator destroys it with {@link #destroyRootKey(String)}. Each record names its root key, so
     * a rotation that stops half way leaves a valid store; running it again finishes it.
     */
    public String rotateRoot() throws DkmException {
        return rotation.rotateRoot();
    }

    /** Destroys a root key that nothing references any more (after {@link #rotateRoot()}). */
    public void destroyRootKey(String id) throws DkmException {
        rotation.destroyRootKey(id);
    }

    /**
     * Crypto-shredding: removes every member's and grantee's sealed copy, then destroys the current
     * root key. Afterwards no one can decrypt anything in the store (or in any copy of it made from
     * now on). Admin only; irreversible.
     */
    public void shred(String reason) throws DkmException {
        rotation.shred(reason);
    }

    /**
     * Applies the rollover policy: expires grants, rolls over group keysets and secrets that are
     * due (key pairs in two steps: a version is added, and promoted once the promote delay has
     * passed). Returns one line per action. Needs the root key.
     */
    public List<String> rotateDue() throws DkmException {
        return rotation.rotateDue();
    }

    // policy and audit

    /** The store-wide policy. */
    public DkmPolicy policy() throws DkmException {
        return policy.get();
    }

    /** Replaces the store-wide policy. Admin only. */
    public void setPolicy(DkmPolicy policy) throws DkmException {
        this.policy.set(policy);
    }

    /**
     * Checks the whole audit log. Admin only; needs the root key (to unwrap every writer's audit
     * key).
     */
    public AuditVerification verifyAudit() throws DkmException {
        return verifyAudit(null);
    }

    /**
     * Checks the whole audit log as {@link #verifyAudit()} does and, when {@code expectHead}
     * ({@code SEQ:HASH} as printed by an earlier verification) is given, that the log still holds
     * that record: this detects a rollback of the log together with its head checkpoint to an older
     * consistent state.
     */
    public AuditVerification verifyAudit(String expectHead) throws DkmException {
        return auditCheck.verify(expectHead);
    }

    /** The last {@code n} audit records, rendered one per line. Admin only. */
    public List<String> tailAudit(int n) throws DkmException {
        return auditCheck.tail(n);
    }

    /**
     * Copies every record and audit line of one store into another, empty one (e.g. file to
     * PostgreSQL).
     */
    public static int copyStore(Storage from, Storage to) throws DkmException {
        return StoreCopy.copy(from, to);
    }

    @Override
    public void close() {
        audit.close();
        keys.clear();
        storage.clearKeys();
    }

    /** Records an event of the store check (migration) under this session's identity. */
    void auditStore(String action, String outcome, String reason) throws DkmException {
        audit.record(action, null, 0, outcome, reason);
    }

    @Override
    public String toString() {
        return "KeyManager[" + auth.name() + "]";
    }
}
