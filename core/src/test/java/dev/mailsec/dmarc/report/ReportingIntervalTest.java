package dev.mailsec.dmarc.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportingIntervalTest {

    private static final long DAY = 86_400;

    @Test
    void riIsHonouredBetweenAnHourAndADayOnHoursThatDivideADay() {
        assertThat(ReportingInterval.seconds(86_400, DAY)).isEqualTo(DAY);
        assertThat(ReportingInterval.seconds(3600, DAY)).isEqualTo(3600);
        assertThat(ReportingInterval.seconds(7200, DAY)).isEqualTo(7200);
        // 5 hours: 4, so periods start at 00:00, 04:00, ... (RFC 7489 7.2: hour boundaries)
        assertThat(ReportingInterval.seconds(5 * 3600, DAY)).isEqualTo(4 * 3600);
        assertThat(ReportingInterval.seconds(10 * 3600 + 59, DAY)).isEqualTo(8 * 3600);
    }

    @Test
    void riOutsideTheRangeIsClamped() {
        assertThat(ReportingInterval.seconds(0, DAY)).isEqualTo(3600);
        assertThat(ReportingInterval.seconds(600, DAY)).isEqualTo(3600);
        assertThat(ReportingInterval.seconds(7 * DAY, DAY)).isEqualTo(DAY);
        assertThat(ReportingInterval.seconds(0xFFFF_FFFFL, DAY)).isEqualTo(DAY);
    }

    @Test
    void theReceiversShorterIntervalWins() {
        assertThat(ReportingInterval.seconds(DAY, 6 * 3600)).isEqualTo(6 * 3600);
        assertThat(ReportingInterval.seconds(3600, 3)).isEqualTo(3);
        assertThat(ReportingInterval.seconds(DAY, 3)).isEqualTo(3);
    }

    @Test
    void publishedRiIsReadWithItsDefault() {
        assertThat(PublishedPolicy.parse("example.com", "v=DMARC1; p=none").ri()).isEqualTo(DAY);
        assertThat(PublishedPolicy.parse("example.com", "v=DMARC1; p=none; ri=3600").ri())
                .isEqualTo(3600);
        assertThat(PublishedPolicy.parse("example.com", "v=DMARC1; p=none; ri=soon").ri())
                .isEqualTo(DAY);
        assertThat(PublishedPolicy.parse("example.com", "v=DMARC1; p=none; ri=99999999999").ri())
                .isEqualTo(DAY);
    }
}
