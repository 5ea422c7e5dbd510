package dev.mailsec.dkm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.internal.SecretVersionRecord;
import org.junit.jupiter.api.Test;

/**
 * The invariants of a secret's versions, each refused on the write path (RecordType.SECRET's
 * encoder).
 */
class SecretVersionsTest {

    @Test
    void aSecretWithOnePrimaryAndUniqueVersionsShouldPass() {
        SecretRecord s =
                secret(
                        version(1, VersionState.ARCHIVED),
                        version(2, VersionState.PRIMARY),
                        version(3, VersionState.ENABLED),
                        destroyed(4));
        assertThatCode(() -> SecretVersions.validate(s)).doesNotThrowAnyException();
        assertThatCode(() -> RecordType.SECRET.encode(s)).doesNotThrowAnyException();
    }

    @Test
    void twoPrimariesShouldBeRefused() {
        SecretRecord s = secret(version(1, VersionState.PRIMARY), version(2, VersionState.PRIMARY));
        assertThatThrownBy(() -> RecordType.SECRET.encode(s))
                .isInstanceOf(DkmIntegrityException.class)
                .hasMessage(
                        "secret s would break its invariants: 2 primary versions, exactly one is needed");
    }

    @Test
    void noPrimaryShouldBeRefused() {
        SecretRecord s =
                secret(version(1, VersionState.ARCHIVED), version(2, VersionState.ENABLED));
        assertThatThrownBy(() -> SecretVersions.validate(s))
                .hasMessageContaining("0 primary versions");
    }

    @Test
    void aVersionNumberUsedTwiceShouldBeRefused() {
        SecretRecord s = secret(version(1, VersionState.PRIMARY), version(1, VersionState.ENABLED));
        assertThatThrownBy(() -> SecretVersions.validate(s))
                .hasMessageContaining("version number 1 is used twice");
    }

    @Test
    void aVersionNumberBelowOneShouldBeRefused() {
        SecretRecord s = secret(version(0, VersionState.PRIMARY));
        assertThatThrownBy(() -> SecretVersions.validate(s))
                .hasMessageContaining("version number 0 is below 1");
    }

    @Test
    void aDestroyedVersionThatKeepsItsMaterialShouldBeRefused() {
        SecretVersionRecord d = version(2, VersionState.DESTROYED);
        SecretRecord s = secret(version(1, VersionState.PRIMARY), d);
        assertThatThrownBy(() -> SecretVersions.validate(s))
                .hasMessageContaining("v2 is DESTROYED but keeps");
    }

    @Test
    void aLiveVersionWithoutMaterialShouldBeRefused() {
        SecretRecord s = secret(version(1, VersionState.PRIMARY), destroyed(2));
        s.versions.get(1).state = VersionState.ARCHIVED;
        assertThatThrownBy(() -> SecretVersions.validate(s))
                .hasMessageContaining("v2 is ARCHIVED but lacks");
    }

    @Test
    void thePrimaryCannotBeDestroyed() throws Exception {
        SecretRecord s = secret(version(1, VersionState.PRIMARY));
        assertThatThrownBy(() -> SecretVersions.destroy(s, 1))
                .isInstanceOf(DkmInvalidRequestException.class)
                .hasMessage("s v1 is PRIMARY and cannot be destroyed");
    }

    private static SecretRecord secret(SecretVersionRecord... versions) {
        SecretRecord s = new SecretRecord();
        s.name = "s";
        s.kind = SecretKind.OPAQUE;
        s.group = "g";
        for (SecretVersionRecord v : versions) {
            s.versions.add(v);
        }
        return s;
    }

    private static SecretVersionRecord version(int n, VersionState state) {
        SecretVersionRecord v = new SecretVersionRecord();
        v.version = n;
        v.state = state;
        v.groupKeyVersion = 1;
        v.wrappedDataKey = new byte[] {1};
        v.ciphertext = new byte[] {2};
        return v;
    }

    private static SecretVersionRecord destroyed(int n) {
        SecretVersionRecord v = version(n, VersionState.DESTROYED);
        v.wrappedDataKey = null;
        v.ciphertext = null;
        return v;
    }
}
