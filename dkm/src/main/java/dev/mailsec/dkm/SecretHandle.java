package dev.mailsec.dkm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A secret as one caller may use it: the primary version for new work plus every other readable
 * version (pending and archived) for decryption and verification. Immutable; {@code toString()}
 * never shows material.
 */
public final class SecretHandle {
    private final String name;
    private final SecretKind kind;
    private final String group;
    private final List<SecretVersion> versions;

    SecretHandle(String name, SecretKind kind, String group, List<SecretVersion> versions) {
        this.name = name;
        this.kind = kind;
        this.group = group;
        this.versions = Collections.unmodifiableList(new ArrayList<>(versions));
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

    /** The version to sign or encrypt new content with. */
    public SecretVersion primary() {
        for (SecretVersion v : versions) {
            if (v.state() == VersionState.PRIMARY) {
                return v;
            }
        }
        throw new IllegalStateException("secret " + name + " has no readable primary version");
    }

    public Optional<SecretVersion> version(int number) {
        for (SecretVersion v : versions) {
            if (v.number() == number) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Every readable version, oldest first (destroyed versions are absent). */
    public List<SecretVersion> versions() {
        return versions;
    }

    /** Archived versions, for decrypting and verifying old content only. */
    public List<SecretVersion> archived() {
        List<SecretVersion> out = new ArrayList<>();
        for (SecretVersion v : versions) {
            if (v.state() == VersionState.ARCHIVED) {
                out.add(v);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb =
                new StringBuilder("SecretHandle[")
                        .append(name)
                        .append(' ')
                        .append(kind)
                        .append(" group ")
                        .append(group)
                        .append(", versions");
        for (SecretVersion v : versions) {
            sb.append(' ').append(v.number()).append('=').append(v.state());
        }
        return sb.append(", material redacted]").toString();
    }
}
