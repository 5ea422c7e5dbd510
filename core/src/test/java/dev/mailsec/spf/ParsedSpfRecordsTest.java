package dev.mailsec.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ParsedSpfRecordsTest {

    @Test
    void aRecordSeenAgainIsNotParsedAgain() throws Exception {
        String txt = "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all";
        assertThat(ParsedSpfRecords.parse(txt)).isSameAs(ParsedSpfRecords.parse(txt));
    }

    @Test
    void aBadRecordGivesTheSameSyntaxErrorEachTime() {
        String txt = "v=spf1 ip4:192.0.2.300 -all";
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> ParsedSpfRecords.parse(txt))
                    .isInstanceOf(SpfSyntaxException.class)
                    .hasMessageContaining("bad IPv4 address");
        }
    }

    @Test
    void theCacheIsBounded() throws Exception {
        for (int i = 0; i < ParsedSpfRecords.SIZE + 100; i++) {
            ParsedSpfRecords.parse("v=spf1 ip4:192.0.2." + (i % 256) + "/" + (i / 256 + 24));
        }
        assertThat(ParsedSpfRecords.size()).isEqualTo(ParsedSpfRecords.SIZE);
    }

    @Test
    void aChangedRecordIsANewKeySoTheCheckFollowsDns() throws Exception {
        InetAddress ip = InetAddress.getByName("192.0.2.9");
        SpfChecker before =
                new SpfChecker(
                        ZoneFileSpfDns.parse(
                                "$ORIGIN changed.test.\n@ TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
                                "before.zone"),
                        SpfLimits.defaults());
        SpfChecker after =
                new SpfChecker(
                        ZoneFileSpfDns.parse(
                                "$ORIGIN changed.test.\n@ TXT \"v=spf1 -ip4:192.0.2.0/24 +all\"\n",
                                "after.zone"),
                        SpfLimits.defaults());
        assertThat(before.checkMailFrom(ip, "a@changed.test", "h").code())
                .isEqualTo(SpfResult.Code.PASS);
        assertThat(after.checkMailFrom(ip, "a@changed.test", "h").code())
                .isEqualTo(SpfResult.Code.FAIL);
        assertThat(before.checkMailFrom(ip, "a@changed.test", "h").code())
                .isEqualTo(SpfResult.Code.PASS);
    }
}
