package dev.mailsec.dkm;

/** Who an identity is. Services may be group members; people reach secrets only through grants. */
public enum IdentityType {
    SERVICE,
    PERSON
}
