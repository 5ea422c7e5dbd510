package dev.mailsec.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParsedDmarcRecordsTest {

    @Test
    void aRecordSeenAgainIsNotParsedAgain() {
        String txt = "v=DMARC1; p=reject; rua=mailto:dmarc@example.test";
        DmarcRecord first = ParsedDmarcRecords.parse(txt);
        assertThat(first.kind()).isEqualTo(DmarcRecord.parse(txt).kind());
        assertThat(ParsedDmarcRecords.parse(txt)).isSameAs(first);
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i < ParsedDmarcRecords.SIZE + 100; i++) {
            ParsedDmarcRecords.parse("v=DMARC1; p=none; pct=" + i);
        }
        assertThat(ParsedDmarcRecords.size()).isEqualTo(ParsedDmarcRecords.SIZE);
    }
}
