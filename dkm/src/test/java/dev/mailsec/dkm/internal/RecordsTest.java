package dev.mailsec.dkm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkm.VersionState;
import org.junit.jupiter.api.Test;

class RecordsTest {

    /**
     * Found by RecordsFuzzTest: a null (length -1) map key threw NullPointerException out of
     * TreeMap.put.
     */
    @Test
    void grantWithANullApproverIsMalformed() {
        byte[] grant =
                new Codec.Writer()
                        .i32(1)
                        .str("g-1")
                        .str("admin")
                        .str("smime/bob")
                        .str("why")
                        .i64(900)
                        .i64(0)
                        .str("PENDING")
                        .i32(1)
                        .str(null)
                        .i64(5)
                        .str(null)
                        .str(null)
                        .i64(0)
                        .bytes(null)
                        .toByteArray();
        assertThatThrownBy(() -> GrantRecord.decode(grant))
                .isInstanceOf(Codec.MalformedException.class)
                .hasMessageContaining("approval");
    }

    @Test
    void groupWithANullMemberIsMalformed() {
        byte[] group =
                new Codec.Writer()
                        .i32(1)
                        .str("mail")
                        .i64(0)
                        .i32(1)
                        .i32(1)
                        .str(VersionState.PRIMARY.name())
                        .i64(0)
                        .str("file:root-1")
                        .bytes(new byte[8])
                        .i32(1)
                        .str(null)
                        .bytes(new byte[8])
                        .toByteArray();
        assertThatThrownBy(() -> GroupRecord.decode(group))
                .isInstanceOf(Codec.MalformedException.class)
                .hasMessageContaining("member");
    }

    @Test
    void groupRoundTrips() throws Exception {
        GroupRecord g = new GroupRecord();
        g.name = "mail";
        GroupRecord.KeyVersion v = new GroupRecord.KeyVersion();
        v.version = 1;
        v.state = VersionState.PRIMARY;
        g.versions.add(v);
        g.rootKeyId = "file:root-1";
        g.keysetRootWrapped = new byte[8];
        g.memberSealed.put("james-transport", new byte[4]);
        assertThat(GroupRecord.decode(g.encode()).memberSealed).containsOnlyKeys("james-transport");
    }
}
