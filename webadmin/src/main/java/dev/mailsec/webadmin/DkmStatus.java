package dev.mailsec.webadmin;

import dev.mailsec.dkm.AccessRequest;
import dev.mailsec.dkm.AuditVerification;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmPolicy;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretInfo;
import dev.mailsec.dkm.VersionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /mailsec/dkm/status}: what {@code dkm secret list}, {@code dkm access list}, {@code
 * dkm audit verify} and the rollover policy of {@code dkm rotate --due} tell, in one JSON answer,
 * never a value. Parts the configured identity may not see (pending requests and the audit check
 * need a DKM admin, the check also the root key) say so instead of failing the whole answer.
 */
final class DkmStatus {
    private final DkmConfig config;
    private final Instant now;

    DkmStatus(DkmConfig config, Instant now) {
        this.config = config;
        this.now = now;
    }

    Map<String, Object> read(KeyManager km) throws DkmException {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("reachable", true);
        store.put("kind", config.store().startsWith("file:") ? "file" : "postgresql");
        store.put("identity", km.identity());
        store.put("admin", km.isAdmin());
        out.put("store", store);
        out.put("rootKey", rootKeyKind());
        List<SecretInfo> secrets = km.list();
        TreeSet<String> groups = new TreeSet<>();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (SecretInfo s : secrets) {
            groups.add(s.group());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("kind", s.kind().name());
            m.put("group", s.group());
            m.put("primaryVersion", s.primaryVersion());
            Map<String, String> versions = new LinkedHashMap<>();
            s.versions().forEach((v, state) -> versions.put(Integer.toString(v), state.name()));
            m.put("versions", versions);
            listed.add(m);
        }
        out.put("groups", new ArrayList<>(groups));
        out.put("secrets", listed);
        DkmPolicy policy = km.policy();
        List<Map<String, Object>> due = dueKeysets(km.groupKeysetsCreated(), policy);
        due.addAll(due(secrets, policy));
        out.put("dueRotations", due);
        out.put("pendingAccessRequests", pendingRequests(km));
        out.put("auditChain", auditChain(km));
        return out;
    }

    private String rootKeyKind() {
        return config.rootKey()
                .map(r -> r.startsWith("pkcs11:") ? "pkcs11" : "file")
                .orElse("none");
    }

    /**
     * Group keysets whose primary is older than the policy's keyset rollover period, as {@code
     * rotate --due} judges them (it rolls them over first).
     */
    private List<Map<String, Object>> dueKeysets(Map<String, Instant> created, DkmPolicy policy) {
        List<Map<String, Object>> out = new ArrayList<>();
        Duration period = policy.groupKeysetRollover();
        if (period == null) {
            return out;
        }
        created.forEach(
                (group, at) -> {
                    Instant dueAt = at.plus(period);
                    if (!dueAt.isAfter(now)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("group", group);
                        m.put("kind", "GROUP_KEYSET");
                        m.put("dueSince", dueAt.toString());
                        out.add(m);
                    }
                });
        return out;
    }

    /**
     * Secrets whose rollover the policy says is due (as {@code rotate --due} judges them), and
     * versions added but not yet promoted.
     */
    private List<Map<String, Object>> due(List<SecretInfo> secrets, DkmPolicy policy) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SecretInfo s : secrets) {
            Duration period = policy.rolloverOf(s.kind());
            Integer pending = null;
            for (Map.Entry<Integer, VersionState> v : s.versions().entrySet()) {
                if (v.getValue() == VersionState.ENABLED) {
                    pending = v.getKey();
                }
            }
            Instant dueAt =
                    period == null || s.primaryCreatedAt() == null
                            ? null
                            : s.primaryCreatedAt().plus(period);
            boolean isDue = dueAt != null && !dueAt.isAfter(now);
            if (isDue || pending != null) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("secret", s.name());
                m.put("kind", s.kind().name());
                m.put("dueSince", isDue ? dueAt.toString() : null);
                m.put("pendingVersion", pending);
                out.add(m);
            }
        }
        return out;
    }

    private Map<String, Object> pendingRequests(KeyManager km) throws DkmException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!km.isAdmin()) {
            out.put("available", false);
            out.put("reason", "identity " + km.identity() + " is not a DKM admin");
            return out;
        }
        List<Map<String, Object>> pending = new ArrayList<>();
        for (AccessRequest r : km.listRequests()) {
            if (r.status() == AccessRequest.Status.PENDING) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", r.id());
                m.put("requester", r.requester());
                m.put("secret", r.secret());
                m.put("reason", r.reason());
                m.put("duration", r.duration().toString());
                m.put("requestedAt", r.requestedAt().toString());
                m.put("approvers", new ArrayList<>(r.approvers()));
                pending.add(m);
            }
        }
        out.put("available", true);
        out.put("requests", pending);
        return out;
    }

    private Map<String, Object> auditChain(KeyManager km) throws DkmException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!km.isAdmin() || config.rootKey().isEmpty()) {
            out.put("checked", false);
            out.put(
                    "reason",
                    "needs a DKM admin identity and the root key (dkmConfig with rootKey=)");
            return out;
        }
        AuditVerification v = km.verifyAudit();
        out.put("checked", true);
        out.put("intact", v.intact());
        out.put("records", v.recordsChecked());
        if (v.intact()) {
            out.put("head", v.head());
        } else {
            out.put("firstBadRecord", v.firstBadRecord());
            out.put("problem", v.problem());
        }
        return out;
    }
}
