package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import dev.mailsec.dkm.internal.AuditChain;
import dev.mailsec.dkm.internal.Codec;
import dev.mailsec.dkm.internal.Records;
import dev.mailsec.dkm.internal.Sealing;
import dev.mailsec.dkm.root.RootKey;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A session of one identity with the key manager: every operation of the DKM, checked against the
 * caller's role and recorded in the audit log. This is the single place where the store's invariants are
 * enforced (one primary per secret and keyset, versions numbered from 1, two-step rollover, no value for
 * admins, no standing access for people).
 *
 * <p>Key hierarchy: a secret version's value is sealed under its own data key (AES-256-GCM); the data key
 * is wrapped by a version of its group's keyset; the keyset is sealed to each member identity's X25519
 * key and wrapped by the root key. Associated data binds every ciphertext to secret name, version, group
 * and keyset version, so nothing can be moved elsewhere in the store.
 *
 * <p>Thread-safe. Operations that need the root key (admin operations) fail with
 * {@link DkmAccessDeniedException} in a session opened without one.
 */
public final class KeyManager implements AutoCloseable {
  private static final Pattern IDENTITY_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+/=-]{0,199}");
  private static final String ROOT_WRITER = "root";
  private static final int MAX_RETRIES = 20;

  private final AuthenticatedStorage storage;
  private final RootKeys rootKeys;
  private final Clock clock;
  private final Credential credential;
  private final Records.Identity actor;
  private final byte[] auditKey;
  private final Duration keysetCacheTtl;
  private final Map<String, CachedKeyset> keysets = new ConcurrentHashMap<>();

  private KeyManager(AuthenticatedStorage storage, RootKeys rootKeys, Clock clock, Credential credential,
      Records.Identity actor, byte[] auditKey, Duration keysetCacheTtl) {
    this.storage = storage;
    storage.keys(new StoreKeys());
    this.rootKeys = rootKeys;
    this.clock = clock;
    this.credential = credential;
    this.actor = actor;
    this.auditKey = auditKey;
    this.keysetCacheTtl = keysetCacheTtl;
  }

  // ---------------------------------------------------------------- opening

  /**
   * Initialises an empty store: creates the first root key, the store metadata and a first admin
   * identity (a person) whose credential is written to {@code adminCredential} (mode 0600).
   */
  public static KeyManager init(Storage rawStorage, RootKeys rootKeys, String adminName, Path adminCredential,
      Clock clock) throws DkmException {
    checkName(IDENTITY_NAME, "identity", adminName);
    AuthenticatedStorage storage = new AuthenticatedStorage(rawStorage);
    if (storage.rawGet(Records.META).isPresent()) {
      throw new DkmInvalidRequestException("store is already initialised");
    }
    RootKey root = rootKeys.create();
    Records.Meta meta = new Records.Meta();
    DkmPolicy d = DkmPolicy.defaults();
    writePolicy(meta, d);
    meta.rootKeyId = root.id();
    byte[] rootAudit = Aead.newKey();
    meta.rootAuditKeyWrapped = root.wrap(rootAudit, Codec.aad("audit-key", ROOT_WRITER, root.id()));
    meta.createdAt = clock.millis();
    Credential cred = Credential.generate(adminName);
    byte[] adminAudit = Aead.newKey();
    Records.Identity admin = newIdentity(adminName, IdentityType.PERSON, true, cred.publicKey(), adminAudit,
        root, clock);
    cred.save(adminCredential);
    // the first records are MAC'd here: the session's key lookup reads meta, which does not exist yet
    byte[] recordKey = RecordAuthenticator.deriveKey(rootAudit, "root");
    try {
      rawStorage.write(List.of(
          new Write(Records.META, 0, RecordAuthenticator.seal(recordKey, Records.META,
              RecordAuthenticator.Flavor.ROOT, null, 0, 1, meta.encode())),
          new Write(Records.identityKey(adminName), 0, RecordAuthenticator.seal(recordKey,
              Records.identityKey(adminName), RecordAuthenticator.Flavor.ROOT, null, 0, 1, admin.encode()))));
    } catch (Storage.ConflictException e) {
      throw new DkmInvalidRequestException("store was initialised concurrently");
    } finally {
      Aead.wipe(recordKey);
    }
    KeyManager km = new KeyManager(storage, rootKeys, clock, cred, admin, adminAudit, Duration.ofMinutes(5));
    km.audit("init", null, 0, "ok", "root key " + root.id() + ", first admin " + adminName);
    km.audit(AuthenticatedStorage.COMMIT_ACTION, null, 0, "ok", Records.META + "#1 "
        + Records.identityKey(adminName) + "#1");
    return km;
  }

  /** Opens a session as the holder of {@code credential}; {@code rootKeys} may be null. */
  public static KeyManager open(Storage storage, RootKeys rootKeys, Credential credential, Clock clock)
      throws DkmException {
    return open(storage, rootKeys, credential, clock, Duration.ofMinutes(5));
  }

  static KeyManager open(Storage rawStorage, RootKeys rootKeys, Credential credential, Clock clock,
      Duration keysetCacheTtl) throws DkmException {
    AuthenticatedStorage storage = new AuthenticatedStorage(rawStorage);
    // read unchecked to find who is opening; StoreCheck checks both records (and the rest) below
    Optional<StoredRecord> meta = storage.rawGet(Records.META);
    if (!meta.isPresent()) {
      throw new DkmInvalidRequestException("store is not initialised (run: mailsec dkm init)");
    }
    String name = credential.identity();
    Optional<StoredRecord> rec = IDENTITY_NAME.matcher(name).matches()
        ? storage.rawGet(Records.identityKey(name)) : Optional.empty();
    Records.Identity id = rec.isPresent() ? decodeIdentity(rec.get()) : null;
    String problem = null;
    if (id == null) {
      problem = "unknown identity '" + name + "'";
    } else if (!MessageDigest.isEqual(id.publicKey, credential.publicKey().getEncoded())) {
      problem = "credential does not match identity '" + name + "'";
    } else if (id.disabled) {
      problem = "identity '" + name + "' is disabled";
    }
    if (problem != null) {
      rootAudit(rawStorage, rootKeys, clock, decodeMeta(meta.get()),
          new AuditChain.Event(name, "authenticate", null, 0, "denied", problem));
      throw new DkmAccessDeniedException(problem);
    }
    byte[] auditKey;
    try {
      auditKey = Sealing.open(credential.privateKey(), credential.publicKey(), id.auditKeySealed,
          Codec.aad("audit-key", name));
    } catch (Aead.TamperedException e) {
      throw new DkmIntegrityException("audit key of identity '" + name + "' does not open with its credential");
    }
    KeyManager km = new KeyManager(storage, rootKeys, clock, credential, id, auditKey, keysetCacheTtl);
    try {
      StoreCheck.atOpen(km, storage, rootKeys != null && id.admin);
    } catch (DkmException | RuntimeException e) {
      km.close();
      throw e;
    }
    return km;
  }

  /** The identity this session acts as. */
  public String identity() {
    return actor.name;
  }

  public boolean isAdmin() {
    return actor.admin;
  }

  public IdentityType identityType() {
    return actor.type;
  }

  // ---------------------------------------------------------------- identities and groups

  /** Creates an identity and writes its credential file (0600). Admin only. */
  public void createIdentity(String name, IdentityType type, boolean admin, Path credentialFile)
      throws DkmException {
    requireAdmin("identity.create", name);
    checkName(IDENTITY_NAME, "identity", name);
    if (storage.get(Records.identityKey(name)).isPresent()) {
      throw fail("identity.create", name, new DkmInvalidRequestException("identity '" + name + "' exists already"));
    }
    RootKey root = currentRoot();
    Credential cred = Credential.generate(name);
    Records.Identity rec = newIdentity(name, type, admin, cred.publicKey(), Aead.newKey(), root, clock);
    cred.save(credentialFile);
    try {
      storage.write(List.of(new Write(Records.identityKey(name), 0, rec.encode())));
    } catch (Storage.ConflictException e) {
      throw fail("identity.create", name, new DkmInvalidRequestException("identity '" + name + "' exists already"));
    }
    audit("identity.create", name, 0, "ok", type + (admin ? " admin" : ""));
  }

  /** Creates a group with a fresh keyset (version 1, primary). Admin only. */
  public void createGroup(String name) throws DkmException {
    requireAdmin("group.create", name);
    checkName(IDENTITY_NAME, "group", name);
    RootKey root = currentRoot();
    Records.Group g = new Records.Group();
    g.name = name;
    g.createdAt = clock.millis();
    Records.KeyVersion v = new Records.KeyVersion();
    v.version = 1;
    v.state = VersionState.PRIMARY;
    v.createdAt = g.createdAt;
    g.versions.add(v);
    Records.Keyset ks = new Records.Keyset();
    ks.keys.put(1, Aead.newKey());
    g.rootKeyId = root.id();
    g.keysetRootWrapped = root.wrap(ks.encode(), keysetAad(name, root.id()));
    try {
      storage.write(List.of(new Write(Records.groupKey(name), 0, g.encode())));
    } catch (Storage.ConflictException e) {
      throw fail("group.create", name, new DkmInvalidRequestException("group '" + name + "' exists already"));
    }
    audit("group.create", name, 1, "ok", null);
  }

  /**
   * Makes a service identity a member: seals the group keyset to its key. People cannot be members
   * (no standing human access). Admin only; needs the root key.
   */
  public void addMember(String group, String identity) throws DkmException {
    requireAdmin("group.add", group);
    Records.Identity member = loadIdentity(identity);
    if (member.type != IdentityType.SERVICE) {
      throw fail("group.add", group, new DkmAccessDeniedException("'" + identity
          + "' is a person; people get no standing access (use an elevated-access request)"));
    }
    PublicKey pub = publicKeyOf(member);
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Group> g = loadGroup(group);
      Records.Keyset ks = keysetViaRoot(g.value);
      g.value.memberSealed.put(identity, Sealing.seal(pub, ks.encode(), memberAad(group, identity)));
      if (tryWrite(g.key, g.revision, g.value.encode(), attempt)) {
        break;
      }
    }
    audit("group.add", group, 0, "ok", "member " + identity);
  }

  /** Removes a member and rolls the group keyset over, so the removed key stops opening new data keys. */
  public int removeMember(String group, String identity) throws DkmException {
    requireAdmin("group.remove", group);
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Group> g = loadGroup(group);
      if (g.value.memberSealed.remove(identity) == null) {
        throw fail("group.remove", group, new DkmInvalidRequestException("'" + identity
            + "' is not a member of " + group));
      }
      if (tryWrite(g.key, g.revision, g.value.encode(), attempt)) {
        break;
      }
    }
    audit("group.remove", group, 0, "ok", "member " + identity);
    return rotateGroupKeyset(group);
  }

  /** Members of a group (identity names). */
  public List<String> members(String group) throws DkmException {
    return new ArrayList<>(loadGroup(group).value.memberSealed.keySet());
  }

  // ---------------------------------------------------------------- secrets: writing

  /** Creates an OPAQUE or SYMMETRIC secret with version 1 as primary. Admin or group member. */
  public void putSecret(String name, String group, SecretKind kind, byte[] value) throws DkmException {
    if (kind == SecretKind.KEY_PAIR) {
      throw new DkmInvalidRequestException("kind: use putKeyPair for KEY_PAIR secrets");
    }
    checkValue(kind, value);
    create(name, group, kind, new Material(value, kind == SecretKind.SYMMETRIC ? "AES" : null, null,
        Collections.<byte[]>emptyList()));
  }

  /**
   * Creates many OPAQUE or SYMMETRIC secrets of one group in a single store write (e.g. importing the
   * connected-account credentials of a whole tenant). Nothing is written if any name exists already.
   */
  public void importSecrets(String group, SecretKind kind, Map<String, byte[]> values) throws DkmException {
    if (kind == SecretKind.KEY_PAIR) {
      throw new DkmInvalidRequestException("kind: import KEY_PAIR secrets one by one with putKeyPair");
    }
    Loaded<Records.Group> g = loadGroup(group);
    List<Write> writes = new ArrayList<>();
    Records.Keyset ks = null;
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      checkName(SECRET_NAME, "secret", e.getKey());
      checkValue(kind, e.getValue());
      Records.Secret s = new Records.Secret();
      s.name = e.getKey();
      s.kind = kind;
      s.group = group;
      s.createdAt = clock.millis();
      if (ks == null) {
        requireWriter("import", s);
        ks = keysetForWrite(g.value);
      }
      s.versions.add(encryptVersion(s, 1, VersionState.PRIMARY, new Material(e.getValue(),
          kind == SecretKind.SYMMETRIC ? "AES" : null, null, Collections.<byte[]>emptyList()), ks,
          g.value.primary()));
      writes.add(new Write(Records.secretKey(s.name), 0, s.encode()));
    }
    try {
      storage.write(writes);
    } catch (Storage.ConflictException e) {
      throw fail("import", group, new DkmInvalidRequestException(e.getMessage() + " (exists already)"));
    }
    audit("import", group, 0, "ok", writes.size() + " " + kind + " secrets");
  }

  /** Creates a KEY_PAIR secret (PKCS#8 private key, public key, certificate chain leaf first). */
  public void putKeyPair(String name, String group, PrivateKey privateKey, PublicKey publicKey,
      List<X509Certificate> chain) throws DkmException {
    create(name, group, SecretKind.KEY_PAIR, keyPairMaterial(privateKey, publicKey, chain));
  }

  /** Creates a secret from freshly generated material: an AES-256 key, or a key pair ({@code RSA-2048}, {@code Ed25519}...). */
  public void generate(String name, String group, SecretKind kind, String algorithm) throws DkmException {
    if (kind == SecretKind.SYMMETRIC) {
      create(name, group, kind, new Material(Aead.newKey(), "AES", null, Collections.<byte[]>emptyList()));
    } else if (kind == SecretKind.KEY_PAIR) {
      KeyPair kp = generateKeyPair(algorithm);
      create(name, group, kind, keyPairMaterial(kp.getPrivate(), kp.getPublic(), null));
    } else {
      throw new DkmInvalidRequestException("kind: OPAQUE secrets cannot be generated; give a value");
    }
  }

  /** Rollover step 1 with a given value: adds a version in state ENABLED (not used for new work yet). */
  public int addVersion(String name, byte[] value) throws DkmException {
    Records.Secret s = loadSecret(name).value;
    if (s.kind == SecretKind.KEY_PAIR) {
      throw new DkmInvalidRequestException("kind: use addKeyPairVersion for KEY_PAIR secrets");
    }
    checkValue(s.kind, value);
    return addVersion(name, new Material(value, s.kind == SecretKind.SYMMETRIC ? "AES" : null, null,
        Collections.<byte[]>emptyList()));
  }

  /** Rollover step 1 for a key pair supplied from outside (e.g. with a CA-issued certificate). */
  public int addKeyPairVersion(String name, PrivateKey privateKey, PublicKey publicKey,
      List<X509Certificate> chain) throws DkmException {
    return addVersion(name, keyPairMaterial(privateKey, publicKey, chain));
  }

  /**
   * Rollover step 1 with generated material: a new AES key, or a new key pair of the primary's
   * algorithm and size. OPAQUE secrets need {@link #addVersion(String, byte[])}.
   */
  public int rotate(String name) throws DkmException {
    Records.Secret s = loadSecret(name).value;
    switch (s.kind) {
      case SYMMETRIC:
        return addVersion(name, new Material(Aead.newKey(), "AES", null, Collections.<byte[]>emptyList()));
      case KEY_PAIR:
        Records.SecretVersionRecord p = s.primary();
        KeyPair kp = sameKindOfKeyPair(p.algorithm, p.publicKey);
        return addVersion(name, keyPairMaterial(kp.getPrivate(), kp.getPublic(), null));
      default:
        throw fail("rotate", name, new DkmInvalidRequestException(name
            + " is OPAQUE: give the new value (secret rotate reads it from stdin)"));
    }
  }

  /** Rollover step 2: makes an ENABLED version primary; the former primary is archived. */
  public void promote(String name, int version) throws DkmException {
    Loaded<Records.Secret> l = loadSecret(name);
    requireWriter("promote", l.value);
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0) {
        l = loadSecret(name);
      }
      Records.SecretVersionRecord v = l.value.version(version);
      if (v == null || v.state != VersionState.ENABLED) {
        throw fail("promote", name, new DkmInvalidRequestException(name + " v" + version
            + (v == null ? " does not exist" : " is " + v.state + ", only an ENABLED version can be promoted")));
      }
      l.value.primary().state = VersionState.ARCHIVED;
      v.state = VersionState.PRIMARY;
      if (tryWrite(l.key, l.revision, l.value.encode(), attempt)) {
        break;
      }
    }
    audit("promote", name, version, "ok", null);
  }

  /** Destroys a non-primary version's material for good. Admin only. */
  public void destroyVersion(String name, int version) throws DkmException {
    requireAdmin("destroy", name);
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Secret> l = loadSecret(name);
      Records.SecretVersionRecord v = l.value.version(version);
      if (v == null || v.state == VersionState.PRIMARY || v.state == VersionState.DESTROYED) {
        throw fail("destroy", name, new DkmInvalidRequestException(name + " v" + version
            + (v == null ? " does not exist" : " is " + v.state + " and cannot be destroyed")));
      }
      v.state = VersionState.DESTROYED;
      v.wrappedDataKey = null;
      v.ciphertext = null;
      if (tryWrite(l.key, l.revision, l.value.encode(), attempt)) {
        break;
      }
    }
    audit("destroy", name, version, "ok", null);
  }

  // ---------------------------------------------------------------- secrets: reading

  /** Names, kinds, groups and version states of every secret. No values. */
  public List<SecretInfo> list() throws DkmException {
    List<SecretInfo> out = new ArrayList<>();
    for (StoredRecord r : storage.list("secret/")) {
      Records.Secret s = decodeSecret(r);
      Map<Integer, VersionState> states = new TreeMap<>();
      Instant primaryAt = null;
      for (Records.SecretVersionRecord v : s.versions) {
        states.put(v.version, v.state);
        if (v.state == VersionState.PRIMARY) {
          primaryAt = Instant.ofEpochMilli(v.createdAt);
        }
      }
      out.add(new SecretInfo(s.name, s.kind, s.group, states, primaryAt));
    }
    audit("list", null, 0, "ok", null);
    return out;
  }

  /**
   * Decrypts a secret for a group member (service) or a person holding an unexpired grant. Admins
   * without a grant are refused like anyone else.
   */
  public SecretHandle get(String name) throws DkmException {
    Records.Secret s;
    try {
      s = loadSecret(name).value;
    } catch (DkmInvalidRequestException e) {
      throw fail("read", name, e);
    }
    List<SecretVersion> out = new ArrayList<>();
    if (actor.type == IdentityType.SERVICE) {
      for (Records.SecretVersionRecord v : s.versions) {
        if (v.state == VersionState.DESTROYED) {
          continue;
        }
        byte[] groupKey = memberGroupKey(s, v.groupKeyVersion);
        out.add(decryptVersion(s, v, unwrapDataKey(s, v, groupKey)));
      }
    } else {
      Records.Grant grant = activeGrant(name);
      Map<Integer, byte[]> deks = openGrant(grant);
      for (Records.SecretVersionRecord v : s.versions) {
        byte[] dek = deks.get(v.version);
        if (v.state != VersionState.DESTROYED && dek != null) {
          out.add(decryptVersion(s, v, dek));
        }
      }
    }
    audit("read", name, primaryNumber(s), "ok", null);
    return new SecretHandle(s.name, s.kind, s.group, out);
  }

  /**
   * Exports one version sealed to a recipient identity's key (for backup or to hand a key to another
   * system). The recipient must be a member service of the secret's group. Admin only.
   */
  public byte[] export(String name, int version, String recipient) throws DkmException {
    requireAdmin("export", name);
    Records.Secret s = loadSecret(name).value;
    Records.SecretVersionRecord v = s.version(version);
    if (v == null || v.state == VersionState.DESTROYED) {
      throw fail("export", name, new DkmInvalidRequestException(name + " v" + version + " does not exist"));
    }
    Loaded<Records.Group> g = loadGroup(s.group);
    if (!g.value.memberSealed.containsKey(recipient)) {
      throw fail("export", name, new DkmAccessDeniedException("recipient '" + recipient
          + "' is not a member of group " + s.group));
    }
    Records.Keyset ks = keysetViaRoot(g.value);
    byte[] dek = unwrapDataKey(s, v, ks.keys.get(v.groupKeyVersion));
    byte[] plain = openValue(s, v, dek);
    byte[] sealed = Sealing.seal(publicKeyOf(loadIdentity(recipient)), plain,
        Codec.aad("export", name, version, recipient));
    Aead.wipe(plain);
    Codec.Writer w = new Codec.Writer().str("mailsec-dkm-export-1").str(name).i32(version)
        .str(s.kind.name()).str(v.algorithm).bytes(v.publicKey).i32(v.certificates.size());
    for (byte[] c : v.certificates) {
      w.bytes(c);
    }
    audit("export", name, version, "ok", "sealed to " + recipient);
    return w.str(recipient).bytes(sealed).toByteArray();
  }

  /** Opens an export sealed to this session's identity. */
  public SecretVersion openExport(byte[] export) throws DkmException {
    try {
      Codec.Reader r = new Codec.Reader(export);
      if (!"mailsec-dkm-export-1".equals(r.str())) {
        throw new DkmInvalidRequestException("not a DKM export");
      }
      String name = r.str();
      int version = r.i32();
      SecretKind kind = SecretKind.valueOf(r.str());
      String algorithm = r.str();
      byte[] pub = r.bytes();
      List<byte[]> certs = new ArrayList<>();
      int n = r.i32();
      for (int i = 0; i < n; i++) {
        certs.add(r.bytes());
      }
      String recipient = r.str();
      if (!actor.name.equals(recipient)) {
        throw fail("export.open", name, new DkmAccessDeniedException("export is sealed to '" + recipient + "'"));
      }
      byte[] plain = Sealing.open(credential.privateKey(), credential.publicKey(), r.bytes(),
          Codec.aad("export", name, version, recipient));
      audit("export.open", name, version, "ok", null);
      return new SecretVersion(name, kind, version, VersionState.ARCHIVED, clock.instant(), plain, algorithm,
          pub, certs);
    } catch (Codec.MalformedException | IllegalArgumentException e) {
      throw new DkmInvalidRequestException("malformed DKM export");
    } catch (Aead.TamperedException e) {
      throw new DkmIntegrityException("export does not open: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- elevated access

  /** A person asks for temporary access to one secret. */
  public String requestAccess(String secret, String reason, Duration duration) throws DkmException {
    if (actor.type != IdentityType.PERSON) {
      throw fail("request", secret, new DkmAccessDeniedException(
          "only people request elevated access; services are made group members"));
    }
    if (reason == null || reason.trim().isEmpty()) {
      throw fail("request", secret, new DkmInvalidRequestException("reason: required"));
    }
    DkmPolicy policy = policy();
    if (duration == null || duration.isNegative() || duration.isZero()
        || duration.compareTo(policy.maxGrant()) > 0) {
      throw fail("request", secret, new DkmInvalidRequestException("duration: must be positive and at most "
          + policy.maxGrant() + ", got " + duration));
    }
    loadSecret(secret);
    Records.Grant g = new Records.Grant();
    g.id = "req-" + hex(Aead.random(5));
    g.requester = actor.name;
    g.secret = secret;
    g.reason = reason.trim();
    g.durationSeconds = duration.getSeconds();
    g.requestedAt = clock.millis();
    g.state = AccessRequest.Status.PENDING.name();
    try {
      storage.write(List.of(new Write(Records.grantKey(g.id), 0, g.encode())));
    } catch (Storage.ConflictException e) {
      throw new DkmUnavailableException("request id collision, try again");
    }
    audit("request", secret, 0, "ok", g.id + " for " + duration + ": " + g.reason);
    return g.id;
  }

  /**
   * Approves a pending request. The approver is an admin and never the requester; once the policy's
   * number of distinct approvers is reached, the secret's data keys are sealed to the requester and the
   * grant runs until it expires by itself. Needs the root key.
   */
  public AccessRequest approve(String requestId, String reason) throws DkmException {
    requireAdmin("approve", requestId);
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Grant> l = loadGrant(requestId);
      Records.Grant g = l.value;
      if (g.requester.equals(actor.name)) {
        throw fail("approve", g.secret, new DkmAccessDeniedException("the requester cannot approve " + g.id));
      }
      if (!AccessRequest.Status.PENDING.name().equals(g.state)) {
        throw fail("approve", g.secret, new DkmInvalidRequestException(g.id + " is " + g.state + ", not PENDING"));
      }
      if (g.approvals.containsKey(actor.name)) {
        throw fail("approve", g.secret, new DkmInvalidRequestException(g.id + " is already approved by "
            + actor.name));
      }
      g.approvals.put(actor.name, clock.millis());
      boolean granted = g.approvals.size() >= policy().approvalsRequired();
      if (granted) {
        g.state = AccessRequest.Status.APPROVED.name();
        g.expiresAt = clock.millis() + g.durationSeconds * 1000L;
        g.decidedBy = actor.name;
        g.decisionReason = reason;
        g.sealedDataKeys = sealGrant(g);
      }
      if (tryWrite(l.key, l.revision, g.encode(), attempt)) {
        audit("approve", g.secret, 0, "ok", g.id + (granted ? " granted to " + g.requester + " until "
            + Instant.ofEpochMilli(g.expiresAt) : " (" + g.approvals.size() + " of "
            + policy().approvalsRequired() + ")") + (reason == null ? "" : ": " + reason));
        return toRequest(g);
      }
    }
  }

  /** Denies a pending request. Admin, not the requester. */
  public AccessRequest deny(String requestId, String reason) throws DkmException {
    requireAdmin("deny", requestId);
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Grant> l = loadGrant(requestId);
      Records.Grant g = l.value;
      if (g.requester.equals(actor.name)) {
        throw fail("deny", g.secret, new DkmAccessDeniedException("the requester cannot decide " + g.id));
      }
      if (!AccessRequest.Status.PENDING.name().equals(g.state)) {
        throw fail("deny", g.secret, new DkmInvalidRequestException(g.id + " is " + g.state + ", not PENDING"));
      }
      g.state = AccessRequest.Status.DENIED.name();
      g.decidedBy = actor.name;
      g.decisionReason = reason;
      if (tryWrite(l.key, l.revision, g.encode(), attempt)) {
        audit("deny", g.secret, 0, "ok", g.id + (reason == null ? "" : ": " + reason));
        return toRequest(g);
      }
    }
  }

  /** Requests visible to this identity: all for admins, own for others. Expired grants are marked. */
  public List<AccessRequest> listRequests() throws DkmException {
    List<AccessRequest> out = new ArrayList<>();
    for (StoredRecord r : storage.list("grant/")) {
      Records.Grant g = decodeGrant(r);
      if (!actor.admin && !g.requester.equals(actor.name)) {
        continue;
      }
      if (isExpired(g)) {
        g = expire(r, g);
      }
      out.add(toRequest(g));
    }
    return out;
  }

  // ---------------------------------------------------------------- rotation

  /**
   * Rolls a group keyset over: a new keyset version becomes primary (the old one is archived, still able
   * to open data keys), then every data key of the group is re-wrapped under it. Secret values are not
   * touched. Returns the number of data keys re-wrapped. Needs the root key.
   */
  public int rotateGroupKeyset(String group) throws DkmException {
    requireAdmin("rotate-keyset", group);
    Records.Keyset ks = null;
    int newVersion = 0;
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Group> l = loadGroup(group);
      Records.Group g = l.value;
      ks = keysetViaRoot(g);
      newVersion = 0;
      for (Records.KeyVersion v : g.versions) {
        newVersion = Math.max(newVersion, v.version);
        if (v.state == VersionState.PRIMARY) {
          v.state = VersionState.ARCHIVED;
        }
      }
      newVersion++;
      Records.KeyVersion nv = new Records.KeyVersion();
      nv.version = newVersion;
      nv.state = VersionState.PRIMARY;
      nv.createdAt = clock.millis();
      g.versions.add(nv);
      ks.keys.put(newVersion, Aead.newKey());
      resealKeyset(g, ks);
      if (tryWrite(l.key, l.revision, g.encode(), attempt)) {
        break;
      }
    }
    keysets.remove(group);
    audit("rotate-keyset", group, newVersion, "ok", null);
    int n = rewrapDataKeys(group, ks, newVersion);
    audit("rewrap", group, newVersion, "ok", n + " data keys");
    return n;
  }

  private int rewrapDataKeys(String group, Records.Keyset ks, int target) throws DkmException {
    List<Write> writes = new ArrayList<>();
    for (StoredRecord r : storage.list("secret/")) {
      Records.Secret s = decodeSecret(r);
      if (s.group.equals(group) && rewrap(s, ks, target) > 0) {
        writes.add(new Write(r.key(), r.revision(), s.encode()));
      }
    }
    int count = 0;
    try {
      storage.write(writes);
      for (Write w : writes) {
        count += countVersions(w);
      }
      return count;
    } catch (Storage.ConflictException e) {
      // someone changed a secret meanwhile: fall back to one record at a time
      count = 0;
    }
    for (Write w : writes) {
      for (int attempt = 0; ; attempt++) {
        Optional<StoredRecord> cur = storage.get(w.key());
        if (!cur.isPresent()) {
          break;
        }
        Records.Secret s = decodeSecret(cur.get());
        int n = rewrap(s, ks, target);
        if (n == 0 || tryWrite(w.key(), cur.get().revision(), s.encode(), attempt)) {
          count += n;
          break;
        }
      }
    }
    return count;
  }

  private int countVersions(Write w) throws DkmIntegrityException {
    try {
      int n = 0;
      for (Records.SecretVersionRecord v : Records.Secret.decode(w.value()).versions) {
        if (v.state != VersionState.DESTROYED) {
          n++;
        }
      }
      return n;
    } catch (Codec.MalformedException e) {
      throw new DkmIntegrityException("record " + w.key() + " is malformed");
    }
  }

  private int rewrap(Records.Secret s, Records.Keyset ks, int target) throws DkmException {
    int n = 0;
    for (Records.SecretVersionRecord v : s.versions) {
      // keyset versions only grow: a data key already under a newer version was re-wrapped by a
      // concurrent rollover, and must not be moved back
      if (v.state == VersionState.DESTROYED || v.groupKeyVersion >= target) {
        continue;
      }
      byte[] dek = unwrapDataKey(s, v, ks.keys.get(v.groupKeyVersion));
      v.groupKeyVersion = target;
      v.wrappedDataKey = Aead.seal(ks.keys.get(target), dek, dekAad(s, v));
      Aead.wipe(dek);
      n++;
    }
    return n;
  }

  /**
   * Rotates the root key: creates a new one and re-wraps every group keyset and audit key under it. No
   * secret data and no data key is touched. The old key is kept (returned) until an operator destroys it
   * with {@link #destroyRootKey(String)}. Each record names its root key, so a rotation that stops half
   * way leaves a valid store; running it again finishes it.
   */
  public String rotateRoot() throws DkmException {
    requireAdmin("rotate-root", null);
    Loaded<Records.Meta> meta = loadMeta();
    String old = meta.value.rootKeyId;
    RootKey nu = rootKeys.create();
    for (StoredRecord r : storage.list("group/")) {
      for (int attempt = 0; ; attempt++) {
        StoredRecord cur = attempt == 0 ? r : storage.get(r.key()).get();
        Records.Group g = decodeGroup(cur);
        Records.Keyset ks = keysetViaRoot(g);
        g.rootKeyId = nu.id();
        g.keysetRootWrapped = nu.wrap(ks.encode(), keysetAad(g.name, nu.id()));
        if (tryWrite(cur.key(), cur.revision(), g.encode(), attempt)) {
          break;
        }
      }
    }
    for (StoredRecord r : storage.list("identity/")) {
      for (int attempt = 0; ; attempt++) {
        StoredRecord cur = attempt == 0 ? r : storage.get(r.key()).get();
        Records.Identity id = decodeIdentity(cur);
        byte[] k = rootKeys.get(id.rootKeyId).unwrap(id.auditKeyRootWrapped,
            Codec.aad("audit-key", id.name, id.rootKeyId));
        id.rootKeyId = nu.id();
        id.auditKeyRootWrapped = nu.wrap(k, Codec.aad("audit-key", id.name, nu.id()));
        if (tryWrite(cur.key(), cur.revision(), id.encode(), attempt)) {
          break;
        }
      }
    }
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Meta> m = attempt == 0 ? meta : loadMeta();
      byte[] k = rootKeys.get(m.value.rootKeyId).unwrap(m.value.rootAuditKeyWrapped,
          Codec.aad("audit-key", ROOT_WRITER, m.value.rootKeyId));
      m.value.rootKeyId = nu.id();
      m.value.rootAuditKeyWrapped = nu.wrap(k, Codec.aad("audit-key", ROOT_WRITER, nu.id()));
      if (tryWrite(m.key, m.revision, m.value.encode(), attempt)) {
        break;
      }
    }
    audit("rotate-root", null, 0, "ok", "from " + old + " to " + nu.id());
    return old;
  }

  /** Destroys a root key that nothing references any more (after {@link #rotateRoot()}). */
  public void destroyRootKey(String id) throws DkmException {
    requireAdmin("destroy-root", id);
    if (id.equals(loadMeta().value.rootKeyId)) {
      throw fail("destroy-root", id, new DkmInvalidRequestException(id + " is the current root key; rotate first"));
    }
    for (StoredRecord r : storage.list("group/")) {
      if (id.equals(decodeGroup(r).rootKeyId)) {
        throw fail("destroy-root", id, new DkmInvalidRequestException(id + " still wraps " + r.key()
            + "; run root rotate again"));
      }
    }
    rootKeys.destroy(id);
    audit("destroy-root", id, 0, "ok", null);
  }

  /**
   * Crypto-shredding: removes every member's and grantee's sealed copy, then destroys the current root
   * key. Afterwards no one can decrypt anything in the store (or in any copy of it made from now on).
   * Admin only; irreversible.
   */
  public void shred(String reason) throws DkmException {
    requireAdmin("shred", null);
    if (reason == null || reason.trim().isEmpty()) {
      throw new DkmInvalidRequestException("reason: required");
    }
    String rootId = loadMeta().value.rootKeyId;
    List<Write> writes = new ArrayList<>();
    for (StoredRecord r : storage.list("group/")) {
      Records.Group g = decodeGroup(r);
      g.memberSealed.clear();
      writes.add(new Write(r.key(), r.revision(), g.encode()));
    }
    for (StoredRecord r : storage.list("grant/")) {
      Records.Grant g = decodeGrant(r);
      g.sealedDataKeys = null;
      if (AccessRequest.Status.APPROVED.name().equals(g.state)) {
        g.state = AccessRequest.Status.EXPIRED.name();
      }
      writes.add(new Write(r.key(), r.revision(), g.encode()));
    }
    try {
      storage.write(writes);
    } catch (Storage.ConflictException e) {
      throw new DkmUnavailableException("store changed during shred; run it again");
    }
    audit("shred", null, 0, "ok", reason);
    rootKeys.destroy(rootId);
  }

  /**
   * Applies the rollover policy: expires grants, rolls over group keysets and secrets that are due
   * (key pairs in two steps: a version is added, and promoted once the promote delay has passed).
   * Returns one line per action. Needs the root key.
   */
  public List<String> rotateDue() throws DkmException {
    requireAdmin("rotate-due", null);
    currentRoot();
    DkmPolicy policy = policy();
    Instant now = clock.instant();
    List<String> done = new ArrayList<>();
    for (StoredRecord r : storage.list("grant/")) {
      Records.Grant g = decodeGrant(r);
      if (isExpired(g)) {
        expire(r, g);
        done.add("expired grant " + g.id + " of " + g.requester + " to " + g.secret);
      }
    }
    for (StoredRecord r : storage.list("group/")) {
      Records.Group g = decodeGroup(r);
      Records.KeyVersion p = g.version(g.primary());
      if (policy.groupKeysetRollover() != null
          && !Instant.ofEpochMilli(p.createdAt).plus(policy.groupKeysetRollover()).isAfter(now)) {
        int n = rotateGroupKeyset(g.name);
        done.add("group " + g.name + ": keyset rolled over, " + n + " data keys re-wrapped");
      }
    }
    for (StoredRecord r : storage.list("secret/")) {
      Records.Secret s = decodeSecret(r);
      Duration period = policy.rolloverOf(s.kind);
      if (period == null) {
        continue;
      }
      Records.SecretVersionRecord pending = null;
      for (Records.SecretVersionRecord v : s.versions) {
        if (v.state == VersionState.ENABLED) {
          pending = v;
        }
      }
      boolean due = !Instant.ofEpochMilli(s.primary().createdAt).plus(period).isAfter(now);
      if (s.kind == SecretKind.KEY_PAIR && pending != null) {
        if (!Instant.ofEpochMilli(pending.createdAt).plus(policy.keyPairPromoteDelay()).isAfter(now)) {
          promote(s.name, pending.version);
          done.add("secret " + s.name + ": v" + pending.version + " promoted to primary");
        }
      } else if (due && s.kind == SecretKind.OPAQUE) {
        done.add("secret " + s.name + ": rollover due, needs a new value (secret rotate " + s.name + ")");
      } else if (due && pending == null) {
        int v = rotate(s.name);
        if (s.kind == SecretKind.KEY_PAIR && !policy.keyPairPromoteDelay().isZero()) {
          done.add("secret " + s.name + ": v" + v + " added; publish it, promotion after "
              + policy.keyPairPromoteDelay());
        } else {
          promote(s.name, v);
          done.add("secret " + s.name + ": v" + v + " added and promoted");
        }
      }
    }
    audit("rotate-due", null, 0, "ok", done.size() + " action(s)");
    return done;
  }

  // ---------------------------------------------------------------- policy and audit

  public DkmPolicy policy() throws DkmException {
    Records.Meta m = loadMeta().value;
    return new DkmPolicy(days(m.groupKeysetDays), days(m.keyPairDays), days(m.symmetricDays),
        days(m.opaqueDays), Duration.ofHours(m.keyPairPromoteDelayHours), m.approvalsRequired,
        Duration.ofSeconds(m.maxGrantSeconds));
  }

  /** Replaces the store-wide policy. Admin only. */
  public void setPolicy(DkmPolicy policy) throws DkmException {
    requireAdmin("policy.set", null);
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Meta> m = loadMeta();
      writePolicy(m.value, policy);
      if (tryWrite(m.key, m.revision, m.value.encode(), attempt)) {
        break;
      }
    }
    audit("policy.set", null, 0, "ok", policy.toString());
  }

  /** Checks the whole audit log. Admin only; needs the root key (to unwrap every writer's audit key). */
  public AuditVerification verifyAudit() throws DkmException {
    return verifyAudit(null);
  }

  /**
   * Checks the whole audit log as {@link #verifyAudit()} does and, when {@code expectHead} ({@code SEQ:HASH}
   * as printed by an earlier verification) is given, that the log still holds that record: this detects a
   * rollback of the log together with its head checkpoint to an older consistent state.
   */
  public AuditVerification verifyAudit(String expectHead) throws DkmException {
    long expectSeq = 0;
    String expectHash = null;
    if (expectHead != null) {
      int colon = expectHead.indexOf(':');
      try {
        expectSeq = colon < 0 ? -1 : Long.parseLong(expectHead.substring(0, colon));
      } catch (NumberFormatException e) {
        expectSeq = -1;
      }
      expectHash = colon < 0 ? "" : expectHead.substring(colon + 1).toLowerCase(java.util.Locale.ROOT);
      if (expectSeq < 1 || !expectHash.matches("[0-9a-f]{64}")) {
        throw new DkmInvalidRequestException("expected head must be SEQ:HASH (a sequence number and 64 hex"
            + " digits, as printed by audit verify), got '" + expectHead + "'");
      }
    }
    requireAdmin("audit.verify", null);
    Map<String, byte[]> keys = new HashMap<>();
    Records.Meta meta = loadMeta().value;
    keys.put(ROOT_WRITER, currentRoot().unwrap(meta.rootAuditKeyWrapped,
        Codec.aad("audit-key", ROOT_WRITER, meta.rootKeyId)));
    // records are checked (MACs, rollback against the log's commitments) and reported, not thrown
    List<String> recordProblems = storage.checkAll();
    recordProblems.addAll(storage.loadCommitments());
    for (StoredRecord r : storage.raw().list("identity/")) {
      Records.Identity id = decodeIdentity(r);
      keys.put(id.name, rootKeys.get(id.rootKeyId).unwrap(id.auditKeyRootWrapped,
          Codec.aad("audit-key", id.name, id.rootKeyId)));
    }
    // the checkpoint first: a record appended between the two reads only makes the log longer
    Optional<String> head = storage.raw().readAuditHead();
    List<String> all = storage.raw().readAudit();
    Object[] bad = AuditChain.verify(all, keys);
    // lines that are no record at all (garbage appended or inserted) were named by verify; the records
    // around them chain, so the checkpoint checks below look at the records alone
    List<String> lines = new ArrayList<>(all.size());
    for (String l : all) {
      if (AuditChain.seq(l) > 0) {
        lines.add(l);
      }
    }
    Object[] foreign = null;
    if (bad != null && ((String) bad[1]).startsWith(AuditChain.FOREIGN)) {
      foreign = bad;
      bad = null;
    }
    String note = null;
    if (bad == null && head.isPresent()) {
      Object[] opened = AuditChain.openHead(head.get(), keys);
      long hs = opened == null ? 0 : (Long) opened[0];
      if (opened == null) {
        bad = new Object[] {(long) lines.size() + 1, "the head checkpoint is not authentic"
            + " (tampered, or torn by a power cut)"};
      } else if (hs > lines.size()) {
        bad = new Object[] {(long) lines.size() + 1, (lines.size() + 1 == hs ? "record " + hs
            : "records " + (lines.size() + 1) + ".." + hs) + " removed (the head checkpoint names record "
            + hs + ", the log ends at " + lines.size() + ")"};
      } else if (!AuditChain.hash(lines.get((int) hs - 1)).equals(opened[1])
          || !opened[2].equals(AuditChain.writer(lines.get((int) hs - 1)))) {
        // a checkpoint is MACed by the writer of the record it names, never by someone else
        bad = new Object[] {hs, "does not match the head checkpoint (record replaced)"};
      }
    } else if (bad == null && !lines.isEmpty()) {
      note = "no head checkpoint yet: the store predates checkpoints; the next record creates it";
    }
    if (bad == null && expectHash != null) {
      if (expectSeq > lines.size()) {
        bad = new Object[] {(long) lines.size() + 1, "the expected head record " + expectSeq
            + " is missing: records " + (lines.size() + 1) + ".." + expectSeq + " removed (log rolled back)"};
      } else if (!AuditChain.hash(lines.get((int) expectSeq - 1)).equals(expectHash)) {
        bad = new Object[] {expectSeq, "is not the expected head record (log replaced or rolled back)"};
      }
    }
    if (bad == null && foreign != null) {
      bad = foreign;
    }
    if (bad == null && !recordProblems.isEmpty()) {
      bad = new Object[] {(long) lines.size(), "the store's records do not match: " + recordProblems.get(0)
          + (recordProblems.size() > 1 ? " (and " + (recordProblems.size() - 1) + " more)" : "")};
    }
    String last = lines.isEmpty() ? null : lines.get(lines.size() - 1);
    AuditVerification result = bad == null ? new AuditVerification(lines.size(), 0, null,
        lines.size(), last == null ? null : AuditChain.hash(last), note)
        : new AuditVerification(lines.size(), (Long) bad[0], (String) bad[1]);
    audit("audit.verify", null, 0, result.intact() ? "ok" : "broken", result.toString());
    return result;
  }

  /** The last {@code n} audit records, rendered one per line. Admin only. */
  public List<String> tailAudit(int n) throws DkmException {
    requireAdmin("audit.tail", null);
    List<String> lines = storage.raw().readAudit();
    List<String> out = new ArrayList<>();
    for (String l : lines.subList(Math.max(0, lines.size() - n), lines.size())) {
      out.add(AuditChain.render(l));
    }
    return out;
  }

  /** Copies every record and audit line of one store into another, empty one (e.g. file to PostgreSQL). */
  public static int copyStore(Storage from, Storage to) throws DkmException {
    if (to.get(Records.META).isPresent() || !to.readAudit().isEmpty()) {
      throw new DkmInvalidRequestException("target store is not empty");
    }
    List<Write> writes = new ArrayList<>();
    for (StoredRecord r : from.list("")) {
      writes.add(new Write(r.key(), 0, r.value()));
    }
    try {
      to.write(writes);
    } catch (Storage.ConflictException e) {
      throw new DkmInvalidRequestException("target store changed during the copy");
    }
    List<String> lines = from.readAudit();
    Optional<String> head = from.readAuditHead();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      // the source's checkpoint goes with the last line (the copy cannot MAC a new one: it holds no keys)
      boolean last = i == lines.size() - 1 && head.isPresent();
      to.appendAudit(new Storage.AuditLineBuilder() {
        @Override
        public String next(String previous) {
          return line;
        }

        @Override
        public String head(String l) {
          return last ? head.get() : l;
        }
      }, true);
    }
    return writes.size();
  }

  @Override
  public void close() {
    Aead.wipe(auditKey);
    keysets.clear();
    storage.clearKeys();
  }

  /** Records an event of the store check (migration) under this session's identity. */
  void auditStore(String action, String outcome, String reason) throws DkmException {
    audit(action, null, 0, outcome, reason);
  }

  /** The keys this session holds, for {@link AuthenticatedStorage}'s MACs. */
  private final class StoreKeys implements AuthenticatedStorage.Keys {
    @Override
    public byte[] rootAuditKey() throws DkmException {
      if (rootKeys == null) {
        return null;
      }
      Optional<StoredRecord> r = storage.rawGet(Records.META);
      if (!r.isPresent()) {
        return null;
      }
      Records.Meta m = decodeMeta(r.get());
      try {
        return rootKeys.get(m.rootKeyId).unwrap(m.rootAuditKeyWrapped,
            Codec.aad("audit-key", ROOT_WRITER, m.rootKeyId));
      } catch (DkmIntegrityException e) {
        return null; // the root key was destroyed (crypto-shred): this session holds no root key any more
      }
    }

    @Override
    public byte[] groupKey(String group, int version) throws DkmException {
      Records.Group g = loadGroup(group).value;
      Records.Keyset ks;
      byte[] sealed = g.memberSealed.get(actor.name);
      if (rootKeys != null) {
        ks = keysetViaRoot(g);
      } else if (actor.type == IdentityType.SERVICE && sealed != null) {
        try {
          ks = Records.Keyset.decode(Sealing.open(credential.privateKey(), credential.publicKey(), sealed,
              memberAad(g.name, actor.name)));
        } catch (Aead.TamperedException | Codec.MalformedException e) {
          throw new DkmIntegrityException("keyset of group " + g.name + " sealed to '" + actor.name
              + "' does not open with its credential");
        }
      } else {
        return null;
      }
      byte[] k = ks.keys.get(version);
      if (k == null) {
        // a holder of the keyset that lacks the version named: not "unverifiable", but forged
        throw new DkmIntegrityException("a record of group " + group + " names keyset version " + version
            + ", which the group does not have");
      }
      return k;
    }

    @Override
    public int groupWriteVersion(String group) throws DkmException {
      return loadGroup(group).value.primary();
    }

    @Override
    public byte[] auditKey(String identity) throws DkmException {
      if (identity.equals(actor.name)) {
        return auditKey;
      }
      if (rootKeys == null) {
        return null;
      }
      Records.Identity id;
      try {
        id = loadIdentity(identity);
      } catch (DkmInvalidRequestException e) {
        throw new DkmIntegrityException("a record is MAC'd by unknown identity '" + identity + "'");
      }
      return rootKeys.get(id.rootKeyId).unwrap(id.auditKeyRootWrapped, Codec.aad("audit-key", id.name, id.rootKeyId));
    }

    @Override
    public String self() {
      return actor.name;
    }

    @Override
    public void commit(String keysAndCounters) throws DkmException {
      audit(AuthenticatedStorage.COMMIT_ACTION, null, 0, "ok", keysAndCounters);
    }
  }

  @Override
  public String toString() {
    return "KeyManager[" + actor.name + "]";
  }

  // ---------------------------------------------------------------- internals: secrets

  private static final class Material {
    final byte[] plaintext;
    final String algorithm;
    final byte[] publicKey;
    final List<byte[]> certificates;

    Material(byte[] plaintext, String algorithm, byte[] publicKey, List<byte[]> certificates) {
      this.plaintext = plaintext;
      this.algorithm = algorithm;
      this.publicKey = publicKey;
      this.certificates = certificates;
    }
  }

  private void create(String name, String group, SecretKind kind, Material m) throws DkmException {
    checkName(SECRET_NAME, "secret", name);
    if (name.contains("..") || name.endsWith("/")) {
      throw new DkmInvalidRequestException("secret: malformed name '" + name + "'");
    }
    Loaded<Records.Group> g = loadGroup(group);
    Records.Secret s = new Records.Secret();
    s.name = name;
    s.kind = kind;
    s.group = group;
    s.createdAt = clock.millis();
    requireWriter("write", s);
    Records.Keyset ks = keysetForWrite(g.value);
    s.versions.add(encryptVersion(s, 1, VersionState.PRIMARY, m, ks, g.value.primary()));
    try {
      storage.write(List.of(new Write(Records.secretKey(name), 0, s.encode())));
    } catch (Storage.ConflictException e) {
      throw fail("write", name, new DkmInvalidRequestException("secret '" + name
          + "' exists already; use secret rotate to add a version"));
    }
    audit("write", name, 1, "ok", kind.name());
  }

  private int addVersion(String name, Material m) throws DkmException {
    for (int attempt = 0; ; attempt++) {
      Loaded<Records.Secret> l = loadSecret(name);
      requireWriter("rotate", l.value);
      Records.Group g = loadGroup(l.value.group).value;
      Records.Keyset ks = keysetForWrite(g);
      int v = l.value.nextVersion();
      l.value.versions.add(encryptVersion(l.value, v, VersionState.ENABLED, m, ks, g.primary()));
      if (tryWrite(l.key, l.revision, l.value.encode(), attempt)) {
        audit("rotate", name, v, "ok", "version added (ENABLED, not yet primary)");
        return v;
      }
    }
  }

  private Records.SecretVersionRecord encryptVersion(Records.Secret s, int version, VersionState state,
      Material m, Records.Keyset ks, int groupKeyVersion) {
    Records.SecretVersionRecord v = new Records.SecretVersionRecord();
    v.version = version;
    v.state = state;
    v.createdAt = clock.millis();
    v.algorithm = m.algorithm;
    v.publicKey = m.publicKey;
    v.certificates = new ArrayList<>(m.certificates);
    v.groupKeyVersion = groupKeyVersion;
    byte[] dek = Aead.newKey();
    v.ciphertext = Aead.seal(dek, m.plaintext, valueAad(s, v));
    v.wrappedDataKey = Aead.seal(ks.keys.get(groupKeyVersion), dek, dekAad(s, v));
    Aead.wipe(dek);
    return v;
  }

  private byte[] unwrapDataKey(Records.Secret s, Records.SecretVersionRecord v, byte[] groupKey)
      throws DkmIntegrityException {
    if (groupKey == null) {
      throw new DkmIntegrityException(s.name + " v" + v.version + " refers to keyset version "
          + v.groupKeyVersion + " that group " + s.group + " does not have");
    }
    try {
      return Aead.open(groupKey, v.wrappedDataKey, dekAad(s, v));
    } catch (Aead.TamperedException e) {
      throw new DkmIntegrityException("data key of " + s.name + " v" + v.version + " fails authentication");
    }
  }

  private byte[] openValue(Records.Secret s, Records.SecretVersionRecord v, byte[] dek)
      throws DkmIntegrityException {
    try {
      return Aead.open(dek, v.ciphertext, valueAad(s, v));
    } catch (Aead.TamperedException e) {
      throw new DkmIntegrityException("value of " + s.name + " v" + v.version + " fails authentication");
    }
  }

  private SecretVersion decryptVersion(Records.Secret s, Records.SecretVersionRecord v, byte[] dek)
      throws DkmIntegrityException {
    byte[] plain = openValue(s, v, dek);
    return new SecretVersion(s.name, s.kind, v.version, v.state, Instant.ofEpochMilli(v.createdAt), plain,
        v.algorithm, v.publicKey, v.certificates);
  }

  private static byte[] dekAad(Records.Secret s, Records.SecretVersionRecord v) {
    return Codec.aad("data-key", s.name, v.version, s.group, v.groupKeyVersion);
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });

  private static byte[] valueAad(Records.Secret s, Records.SecretVersionRecord v) {
    MessageDigest md = SHA256.get();
    md.reset();
    if (v.publicKey != null) {
      md.update(v.publicKey);
    }
    for (byte[] c : v.certificates) {
      md.update(Codec.utf8(Integer.toString(c.length)));
      md.update(c);
    }
    return Codec.aad("secret-value", s.name, v.version, s.group, s.kind, v.algorithm, hex(md.digest()));
  }

  private static int primaryNumber(Records.Secret s) {
    for (Records.SecretVersionRecord v : s.versions) {
      if (v.state == VersionState.PRIMARY) {
        return v.version;
      }
    }
    return 0;
  }

  private static void checkValue(SecretKind kind, byte[] value) throws DkmInvalidRequestException {
    if (value == null || value.length == 0) {
      throw new DkmInvalidRequestException("value: empty");
    }
    if (kind == SecretKind.SYMMETRIC && value.length != Aead.KEY_BYTES) {
      throw new DkmInvalidRequestException("value: a SYMMETRIC secret is a 32-byte AES-256 key, got "
          + value.length + " bytes");
    }
  }

  private static Material keyPairMaterial(PrivateKey priv, PublicKey pub, List<X509Certificate> chain)
      throws DkmInvalidRequestException {
    if (priv == null || pub == null || priv.getEncoded() == null) {
      throw new DkmInvalidRequestException("key pair: need an encodable private key and its public key");
    }
    List<byte[]> certs = new ArrayList<>();
    try {
      if (chain != null) {
        for (X509Certificate c : chain) {
          certs.add(c.getEncoded());
        }
      }
    } catch (CertificateEncodingException e) {
      throw new DkmInvalidRequestException("certificate chain: cannot encode a certificate");
    }
    if (chain != null && !chain.isEmpty() && !chain.get(0).getPublicKey().equals(pub)) {
      throw new DkmInvalidRequestException("certificate chain: the first certificate is not for this key");
    }
    return new Material(priv.getEncoded(), priv.getAlgorithm(), pub.getEncoded(), certs);
  }

  static KeyPair generateKeyPair(String algorithm) throws DkmInvalidRequestException {
    try {
      String a = algorithm == null ? "RSA-2048" : algorithm.toUpperCase(java.util.Locale.ROOT);
      if (a.startsWith("RSA-")) {
        int bits = Integer.parseInt(a.substring(4));
        if (bits < 2048) {
          throw new DkmInvalidRequestException("algorithm: RSA keys need at least 2048 bits, got " + bits);
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
      }
      if (a.equals("ED25519")) {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      }
      if (a.equals("EC-P256")) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
      }
    } catch (GeneralSecurityException | NumberFormatException e) {
      throw new DkmInvalidRequestException("algorithm: cannot generate '" + algorithm + "'");
    }
    throw new DkmInvalidRequestException("algorithm: one of RSA-2048, RSA-3072, RSA-4096, Ed25519, EC-P256; got '"
        + algorithm + "'");
  }

  private static KeyPair sameKindOfKeyPair(String algorithm, byte[] spki) throws DkmInvalidRequestException {
    PublicKey pub = SecretVersion.parsePublicKey(algorithm, spki, algorithm);
    if (pub instanceof RSAPublicKey) {
      return generateKeyPair("RSA-" + Math.max(2048, ((RSAPublicKey) pub).getModulus().bitLength()));
    }
    if (pub instanceof ECPublicKey) {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(((ECPublicKey) pub).getParams());
        return g.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new DkmInvalidRequestException("algorithm: cannot generate an EC key like the primary");
      }
    }
    return generateKeyPair("Ed25519");
  }

  // ---------------------------------------------------------------- internals: keysets and grants

  private static final class CachedKeyset {
    final Records.Keyset keyset;
    final long expiresAt;

    CachedKeyset(Records.Keyset keyset, long expiresAt) {
      this.keyset = keyset;
      this.expiresAt = expiresAt;
    }
  }

  /** The group key for a member service; cached for a bounded time, reloaded after a rollover. */
  private byte[] memberGroupKey(Records.Secret s, int keyVersion) throws DkmException {
    CachedKeyset c = keysets.get(s.group);
    if (c != null && c.expiresAt > clock.millis() && c.keyset.keys.containsKey(keyVersion)) {
      return c.keyset.keys.get(keyVersion);
    }
    Records.Group g = loadGroup(s.group).value;
    byte[] sealed = g.memberSealed.get(actor.name);
    if (sealed == null) {
      keysets.remove(s.group);
      throw fail("read", s.name, new DkmAccessDeniedException("identity '" + actor.name
          + "' is not a member of group " + s.group));
    }
    Records.Keyset ks;
    try {
      ks = Records.Keyset.decode(Sealing.open(credential.privateKey(), credential.publicKey(), sealed,
          memberAad(g.name, actor.name)));
    } catch (Aead.TamperedException | Codec.MalformedException e) {
      throw fail("read", s.name, new DkmIntegrityException("keyset of group " + g.name
          + " sealed to '" + actor.name + "' does not open with its credential"));
    }
    keysets.put(s.group, new CachedKeyset(ks, clock.millis() + keysetCacheTtl.toMillis()));
    return ks.keys.get(keyVersion);
  }

  private Records.Keyset keysetForWrite(Records.Group g) throws DkmException {
    byte[] sealed = g.memberSealed.get(actor.name);
    if (actor.type == IdentityType.SERVICE && sealed != null) {
      try {
        return Records.Keyset.decode(Sealing.open(credential.privateKey(), credential.publicKey(), sealed,
            memberAad(g.name, actor.name)));
      } catch (Aead.TamperedException | Codec.MalformedException e) {
        throw new DkmIntegrityException("keyset of group " + g.name + " sealed to '" + actor.name
            + "' does not open with its credential");
      }
    }
    if (actor.admin) {
      return keysetViaRoot(g);
    }
    throw new DkmAccessDeniedException("identity '" + actor.name + "' may not write to group " + g.name);
  }

  private Records.Keyset keysetViaRoot(Records.Group g) throws DkmException {
    if (rootKeys == null) {
      throw new DkmAccessDeniedException("this operation needs the root key (rootKey= in the configuration)");
    }
    byte[] plain = rootKeys.get(g.rootKeyId).unwrap(g.keysetRootWrapped, keysetAad(g.name, g.rootKeyId));
    try {
      return Records.Keyset.decode(plain);
    } catch (Codec.MalformedException e) {
      throw new DkmIntegrityException("keyset of group " + g.name + " is malformed");
    }
  }

  private void resealKeyset(Records.Group g, Records.Keyset ks) throws DkmException {
    RootKey root = rootKeys.get(g.rootKeyId);
    g.keysetRootWrapped = root.wrap(ks.encode(), keysetAad(g.name, root.id()));
    for (Map.Entry<String, byte[]> e : g.memberSealed.entrySet()) {
      PublicKey pub = publicKeyOf(loadIdentity(e.getKey()));
      e.setValue(Sealing.seal(pub, ks.encode(), memberAad(g.name, e.getKey())));
    }
  }

  private byte[] sealGrant(Records.Grant g) throws DkmException {
    Records.Secret s = loadSecret(g.secret).value;
    Records.Keyset ks = keysetViaRoot(loadGroup(s.group).value);
    Records.Keyset deks = new Records.Keyset();
    for (Records.SecretVersionRecord v : s.versions) {
      if (v.state != VersionState.DESTROYED) {
        deks.keys.put(v.version, unwrapDataKey(s, v, ks.keys.get(v.groupKeyVersion)));
      }
    }
    return Sealing.seal(publicKeyOf(loadIdentity(g.requester)), deks.encode(), grantAad(g));
  }

  private Map<Integer, byte[]> openGrant(Records.Grant g) throws DkmException {
    try {
      return Records.Keyset.decode(Sealing.open(credential.privateKey(), credential.publicKey(),
          g.sealedDataKeys, grantAad(g))).keys;
    } catch (Aead.TamperedException | Codec.MalformedException e) {
      throw fail("read", g.secret, new DkmIntegrityException("grant " + g.id + " does not open"));
    }
  }

  private Records.Grant activeGrant(String secret) throws DkmException {
    boolean expired = false;
    for (StoredRecord r : storage.list("grant/")) {
      Records.Grant g = decodeGrant(r);
      if (!g.requester.equals(actor.name) || !g.secret.equals(secret)
          || !AccessRequest.Status.APPROVED.name().equals(g.state)) {
        continue;
      }
      if (isExpired(g)) {
        expire(r, g);
        expired = true;
        continue;
      }
      return g;
    }
    throw fail("read", secret, new DkmAccessDeniedException("'" + actor.name + "' has no "
        + (expired ? "unexpired" : "approved") + " elevated-access grant for " + secret));
  }

  private boolean isExpired(Records.Grant g) {
    return AccessRequest.Status.APPROVED.name().equals(g.state) && clock.millis() >= g.expiresAt;
  }

  private Records.Grant expire(StoredRecord r, Records.Grant g) throws DkmException {
    g.state = AccessRequest.Status.EXPIRED.name();
    g.sealedDataKeys = null;
    try {
      storage.write(List.of(new Write(r.key(), r.revision(), g.encode())));
      audit("expire", g.secret, 0, "ok", g.id + " of " + g.requester + " expired at "
          + Instant.ofEpochMilli(g.expiresAt));
    } catch (Storage.ConflictException e) {
      // another process expired it first and wrote the audit record
    }
    return g;
  }

  private AccessRequest toRequest(Records.Grant g) {
    return new AccessRequest(g.id, g.requester, g.secret, g.reason, Duration.ofSeconds(g.durationSeconds),
        Instant.ofEpochMilli(g.requestedAt), AccessRequest.Status.valueOf(g.state), g.approvals.keySet(),
        g.expiresAt == 0 ? null : Instant.ofEpochMilli(g.expiresAt));
  }

  private static byte[] keysetAad(String group, String rootId) {
    return Codec.aad("group-keyset", group, rootId);
  }

  private static byte[] memberAad(String group, String identity) {
    return Codec.aad("member-keyset", group, identity);
  }

  private static byte[] grantAad(Records.Grant g) {
    return Codec.aad("grant", g.id, g.requester, g.secret);
  }

  // ---------------------------------------------------------------- internals: access and audit

  private void requireAdmin(String action, String subject) throws DkmException {
    if (!actor.admin) {
      throw fail(action, subject, new DkmAccessDeniedException("'" + actor.name + "' is not an admin"));
    }
  }

  private void requireWriter(String action, Records.Secret s) throws DkmException {
    if (actor.admin) {
      return;
    }
    if (actor.type == IdentityType.SERVICE && loadGroup(s.group).value.memberSealed.containsKey(actor.name)) {
      return;
    }
    throw fail(action, s.name, new DkmAccessDeniedException("'" + actor.name
        + "' may not change secrets of group " + s.group));
  }

  private RootKey currentRoot() throws DkmException {
    if (rootKeys == null) {
      throw new DkmAccessDeniedException("this operation needs the root key (rootKey= in the configuration)");
    }
    return rootKeys.get(loadMeta().value.rootKeyId);
  }

  /** Records a failed attempt and returns the exception for the caller to throw. */
  private <E extends DkmException> E fail(String action, String subject, E e) throws DkmException {
    audit(action, subject, 0, e instanceof DkmAccessDeniedException ? "denied" : "failed", e.getMessage());
    return e;
  }

  private void audit(String action, String subject, int version, String outcome, String reason)
      throws DkmException {
    AuditChain.Event e = new AuditChain.Event(actor.name, action, subject, version, outcome, reason);
    Instant now = clock.instant();
    boolean durable = !("ok".equals(outcome) && ("read".equals(action) || "list".equals(action)));
    appendChained(storage.raw(), e, now, actor.name, auditKey, durable);
  }

  /**
   * Appends a record chained to the log's last record. A last line that is no record (garbage appended by
   * hand or a damaged disk) does not stop the key manager: the record chains to the last well-formed one
   * (found by reading the log, only in that case), and audit verify names the foreign line.
   */
  private static void appendChained(Storage raw, AuditChain.Event e, Instant now, String writer, byte[] key,
      boolean durable) throws DkmException {
    try {
      raw.appendAudit(chained(e, now, writer, key, null), durable);
      return;
    } catch (AuditChain.MalformedLogException ex) {
      // fall through: find the last record
    }
    String lastRecord = null;
    List<String> lines = raw.readAudit();
    for (int i = lines.size() - 1; i >= 0 && lastRecord == null; i--) {
      if (AuditChain.seq(lines.get(i)) > 0) {
        lastRecord = lines.get(i);
      }
    }
    try {
      raw.appendAudit(chained(e, now, writer, key, lastRecord == null ? "" : lastRecord), durable);
    } catch (AuditChain.MalformedLogException ex) {
      // no operation goes unaudited: refuse it
      throw new DkmIntegrityException(ex.getMessage());
    }
  }

  private static void rootAudit(Storage storage, RootKeys rootKeys, Clock clock, Records.Meta meta,
      AuditChain.Event e) throws DkmException {
    if (rootKeys == null) {
      return; // without a key the record could not be authenticated; the caller is refused anyway
    }
    byte[] key = rootKeys.get(meta.rootKeyId).unwrap(meta.rootAuditKeyWrapped,
        Codec.aad("audit-key", ROOT_WRITER, meta.rootKeyId));
    Instant now = clock.instant();
    appendChained(storage, e, now, ROOT_WRITER, key, true);
  }

  /**
   * Builds the next record and its MACed head checkpoint (both under the writer's audit key).
   * {@code lastRecord}: where to chain when the log's last line is no record ("" = genesis; null = refuse).
   */
  private static Storage.AuditLineBuilder chained(AuditChain.Event e, Instant now, String writer, byte[] key,
      String lastRecord) {
    return new Storage.AuditLineBuilder() {
      @Override
      public String next(String last) {
        if (last != null && AuditChain.seq(last) < 1) {
          if (lastRecord == null) {
            throw new AuditChain.MalformedLogException();
          }
          return AuditChain.next(lastRecord.isEmpty() ? null : lastRecord, e, now, writer, key);
        }
        return AuditChain.next(last, e, now, writer, key);
      }

      @Override
      public String head(String line) {
        return AuditChain.head(line, writer, key);
      }
    };
  }

  private static Records.Identity newIdentity(String name, IdentityType type, boolean admin, PublicKey pub,
      byte[] auditKey, RootKey root, Clock clock) throws DkmUnavailableException {
    Records.Identity id = new Records.Identity();
    id.name = name;
    id.type = type;
    id.admin = admin;
    id.publicKey = pub.getEncoded();
    id.auditKeySealed = Sealing.seal(pub, auditKey, Codec.aad("audit-key", name));
    id.rootKeyId = root.id();
    id.auditKeyRootWrapped = root.wrap(auditKey, Codec.aad("audit-key", name, root.id()));
    id.createdAt = clock.millis();
    return id;
  }

  private static void writePolicy(Records.Meta m, DkmPolicy p) {
    m.groupKeysetDays = daysOf(p.groupKeysetRollover());
    m.keyPairDays = daysOf(p.rolloverOf(SecretKind.KEY_PAIR));
    m.symmetricDays = daysOf(p.rolloverOf(SecretKind.SYMMETRIC));
    m.opaqueDays = daysOf(p.rolloverOf(SecretKind.OPAQUE));
    m.keyPairPromoteDelayHours = p.keyPairPromoteDelay().toHours();
    m.approvalsRequired = p.approvalsRequired();
    m.maxGrantSeconds = p.maxGrant().getSeconds();
  }

  private static long daysOf(Duration d) {
    return d == null ? 0 : Math.max(1, d.toDays());
  }

  private static Duration days(long d) {
    return d == 0 ? null : Duration.ofDays(d);
  }

  private static PublicKey publicKeyOf(Records.Identity id) throws DkmIntegrityException {
    try {
      return Sealing.publicKey(id.publicKey);
    } catch (GeneralSecurityException e) {
      throw new DkmIntegrityException("public key of identity '" + id.name + "' is malformed");
    }
  }

  private static void checkName(Pattern p, String what, String name) throws DkmInvalidRequestException {
    if (name == null || !p.matcher(name).matches()) {
      throw new DkmInvalidRequestException(what + ": name must match " + p + ", got '" + name + "'");
    }
  }

  private boolean tryWrite(String key, long revision, byte[] value, int attempt) throws DkmException {
    try {
      storage.write(List.of(new Write(key, revision, value)));
      return true;
    } catch (Storage.ConflictException e) {
      if (attempt >= MAX_RETRIES) {
        throw new DkmUnavailableException("gave up after " + MAX_RETRIES + " concurrent changes of " + key);
      }
      try {
        Thread.sleep(1 + (long) (Math.random() * (2 << Math.min(attempt, 6))));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new DkmUnavailableException("interrupted while retrying a write of " + key);
      }
      return false;
    }
  }

  // ---------------------------------------------------------------- internals: loading

  private static final class Loaded<T> {
    final String key;
    final long revision;
    final T value;

    Loaded(String key, long revision, T value) {
      this.key = key;
      this.revision = revision;
      this.value = value;
    }
  }

  private Loaded<Records.Meta> loadMeta() throws DkmException {
    StoredRecord r = storage.get(Records.META).orElseThrow(
        () -> new DkmInvalidRequestException("store is not initialised"));
    return new Loaded<>(r.key(), r.revision(), decodeMeta(r));
  }

  private Records.Identity loadIdentity(String name) throws DkmException {
    if (name == null || !IDENTITY_NAME.matcher(name).matches()) {
      throw new DkmInvalidRequestException("identity: no such identity '" + name + "'");
    }
    Optional<StoredRecord> r = storage.get(Records.identityKey(name));
    if (!r.isPresent()) {
      throw new DkmInvalidRequestException("identity: no such identity '" + name + "'");
    }
    return decodeIdentity(r.get());
  }

  private Loaded<Records.Group> loadGroup(String name) throws DkmException {
    Optional<StoredRecord> r = name == null ? Optional.<StoredRecord>empty() : storage.get(Records.groupKey(name));
    if (!r.isPresent()) {
      throw new DkmInvalidRequestException("group: no such group '" + name + "'");
    }
    return new Loaded<>(r.get().key(), r.get().revision(), decodeGroup(r.get()));
  }

  private Loaded<Records.Secret> loadSecret(String name) throws DkmException {
    Optional<StoredRecord> r = name == null ? Optional.<StoredRecord>empty() : storage.get(Records.secretKey(name));
    if (!r.isPresent()) {
      throw new DkmInvalidRequestException("secret: no such secret '" + name + "'");
    }
    return new Loaded<>(r.get().key(), r.get().revision(), decodeSecret(r.get()));
  }

  private Loaded<Records.Grant> loadGrant(String id) throws DkmException {
    Optional<StoredRecord> r = id == null ? Optional.<StoredRecord>empty() : storage.get(Records.grantKey(id));
    if (!r.isPresent()) {
      throw new DkmInvalidRequestException("request: no such request '" + id + "'");
    }
    return new Loaded<>(r.get().key(), r.get().revision(), decodeGrant(r.get()));
  }

  private static Records.Meta decodeMeta(StoredRecord r) throws DkmIntegrityException {
    try {
      return Records.Meta.decode(AuthenticatedStorage.body(r));
    } catch (Codec.MalformedException e) {
      throw malformed(r, e);
    }
  }

  private static Records.Identity decodeIdentity(StoredRecord r) throws DkmIntegrityException {
    try {
      return Records.Identity.decode(AuthenticatedStorage.body(r));
    } catch (Codec.MalformedException e) {
      throw malformed(r, e);
    }
  }

  private static Records.Group decodeGroup(StoredRecord r) throws DkmIntegrityException {
    try {
      return Records.Group.decode(r.value());
    } catch (Codec.MalformedException e) {
      throw malformed(r, e);
    }
  }

  private static Records.Secret decodeSecret(StoredRecord r) throws DkmIntegrityException {
    try {
      return Records.Secret.decode(r.value());
    } catch (Codec.MalformedException e) {
      throw malformed(r, e);
    }
  }

  private static Records.Grant decodeGrant(StoredRecord r) throws DkmIntegrityException {
    try {
      return Records.Grant.decode(r.value());
    } catch (Codec.MalformedException e) {
      throw malformed(r, e);
    }
  }

  private static DkmIntegrityException malformed(StoredRecord r, Exception e) {
    return new DkmIntegrityException("record " + r.key() + " is malformed: " + e.getMessage());
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }
}
