package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import dev.mailsec.dkm.internal.AuditChain;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.MetaRecord;
import dev.mailsec.dkm.internal.Records;
import dev.mailsec.dkm.root.RootKey;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.StoredRecord;
import dev.mailsec.dkm.spi.Write;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Opening: initialises an empty store (first root key, metadata, first admin) and opens a session
 * for the holder of a credential, refusing unknown, mismatched or disabled identities (audited
 * under the root's key) and running the store check before the session is handed out.
 */
final class StoreOpening {
    private StoreOpening() {}

    static KeyManager init(
            Storage rawStorage,
            RootKeys rootKeys,
            String adminName,
            Path adminCredential,
            Clock clock)
            throws DkmException {
        Identities.checkName(RecordType.IDENTITY_NAME, "identity", adminName);
        AuthenticatedStorage storage = new AuthenticatedStorage(rawStorage);
        if (storage.rawGet(Records.META).isPresent()) {
            throw new DkmInvalidRequestException("store is already initialised");
        }
        RootKey root = rootKeys.create();
        MetaRecord meta = new MetaRecord();
        StorePolicy.write(meta, DkmPolicy.defaults());
        byte[] rootAudit = Aead.newKey();
        Envelope.wrapRootAuditKey(meta, root, rootAudit);
        meta.createdAt = clock.millis();
        Credential cred = Credential.generate(adminName);
        byte[] adminAudit = Aead.newKey();
        IdentityRecord admin =
                Identities.newIdentity(
                        adminName,
                        IdentityType.PERSON,
                        true,
                        cred.publicKey(),
                        adminAudit,
                        root,
                        clock);
        cred.save(adminCredential);
        // the first records are MAC'd here: the session's key lookup reads meta, which does not
        // exist yet
        byte[] recordKey = RecordAuthenticator.deriveKey(rootAudit, "root");
        try {
            rawStorage.write(
                    List.of(
                            new Write(
                                    Records.META,
                                    0,
                                    RecordAuthenticator.seal(
                                            recordKey,
                                            Records.META,
                                            RecordAuthenticator.Flavor.ROOT,
                                            null,
                                            0,
                                            1,
                                            meta.encode())),
                            new Write(
                                    Records.identityKey(adminName),
                                    0,
                                    RecordAuthenticator.seal(
                                            recordKey,
                                            Records.identityKey(adminName),
                                            RecordAuthenticator.Flavor.ROOT,
                                            null,
                                            0,
                                            1,
                                            admin.encode()))));
        } catch (Storage.ConflictException e) {
            throw new DkmInvalidRequestException("store was initialised concurrently");
        } finally {
            Aead.wipe(recordKey);
        }
        KeyManager km =
                new KeyManager(
                        storage, rootKeys, clock, cred, admin, adminAudit, Duration.ofMinutes(5));
        km.auditStore("init", "ok", "root key " + root.id() + ", first admin " + adminName);
        km.auditStore(
                AuthenticatedStorage.COMMIT_ACTION,
                "ok",
                Records.META + "#1 " + Records.identityKey(adminName) + "#1");
        return km;
    }

    static KeyManager open(
            Storage rawStorage,
            RootKeys rootKeys,
            Credential credential,
            Clock clock,
            Duration keysetCacheTtl)
            throws DkmException {
        AuthenticatedStorage storage = new AuthenticatedStorage(rawStorage);
        // read unchecked to find who is opening; StoreCheck checks both records (and the rest)
        // below
        Optional<StoredRecord> meta = storage.rawGet(Records.META);
        if (!meta.isPresent()) {
            throw new DkmInvalidRequestException(
                    "store is not initialised (run: mailsec dkm init)");
        }
        String name = credential.identity();
        Optional<StoredRecord> rec =
                RecordType.IDENTITY_NAME.matcher(name).matches()
                        ? storage.rawGet(Records.identityKey(name))
                        : Optional.empty();
        IdentityRecord id = rec.isPresent() ? RecordType.IDENTITY.decode(rec.get()) : null;
        String problem = null;
        if (id == null) {
            problem = "unknown identity '" + name + "'";
        } else if (!MessageDigest.isEqual(id.publicKey, credential.publicKey().getEncoded())) {
            problem = "credential does not match identity '" + name + "'";
        } else if (id.disabled) {
            problem = "identity '" + name + "' is disabled";
        }
        if (problem != null) {
            AuditLog.recordAsRoot(
                    rawStorage,
                    rootKeys,
                    clock,
                    RecordType.META.decode(meta.get()),
                    new AuditChain.Event(name, "authenticate", null, 0, "denied", problem));
            throw new DkmAccessDeniedException(problem);
        }
        byte[] auditKey;
        try {
            auditKey = Envelope.openAuditKey(credential, name, id.auditKeySealed);
        } catch (Aead.TamperedException e) {
            throw new DkmIntegrityException(
                    "audit key of identity '" + name + "' does not open with its credential");
        }
        KeyManager km =
                new KeyManager(storage, rootKeys, clock, credential, id, auditKey, keysetCacheTtl);
        try {
            StoreCheck.atOpen(km, storage, rootKeys != null && id.admin);
        } catch (DkmException | RuntimeException e) {
            km.close();
            throw e;
        }
        return km;
    }
}
