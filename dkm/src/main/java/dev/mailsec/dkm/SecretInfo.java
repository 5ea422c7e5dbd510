package dev.mailsec.dkm;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What anyone may know about a secret without reading it: name, kind, group, versions and states.
 */
public final class SecretInfo {
    private final String name;
    private final SecretKind kind;
    private final String group;
    private final Map<Integer, VersionState> states;
    private final Instant primaryCreatedAt;

    SecretInfo(
            String name,
            SecretKind kind,
            String group,
            Map<Integer, VersionState> states,
            Instant primaryCreatedAt) {
        this.name = name;
        this.kind = kind;
        this.group = group;
        this.states = Collections.unmodifiableMap(new TreeMap<>(states));
        this.primaryCreatedAt = primaryCreatedAt;
    }

    public String name() {
        return name;
    }

    public SecretKind kind() {
        return kind;
    }

    public String group() {
        return group;
    }

    public Map<Integer, VersionState> versions() {
        return states;
    }

    public int primaryVersion() {
        for (Map.Entry<Integer, VersionState> e : states.entrySet()) {
            if (e.getValue() == VersionState.PRIMARY) {
                return e.getKey();
            }
        }
        return 0;
    }

    public Instant primaryCreatedAt() {
        return primaryCreatedAt;
    }

    @Override
    public String toString() {
        return name + " " + kind + " group=" + group + " versions=" + states;
    }
}
