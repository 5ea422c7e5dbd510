package dev.mailsec.tls.published;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientLimitTest {

    @Test
    void oneAddressShouldGetAtMostTheLimitAtOnceAndOthersTheirOwn() throws Exception {
        ClientLimit limit = new ClientLimit(8);
        InetAddress greedy = InetAddress.getByName("192.0.2.1");
        InetAddress other = InetAddress.getByName("2001:db8::1");

        for (int i = 0; i < 8; i++) {
            assertThat(limit.tryAcquire(greedy)).as("request %d", i + 1).isTrue();
        }
        assertThat(limit.tryAcquire(greedy)).isFalse();
        assertThat(limit.tryAcquire(other)).isTrue();

        limit.release(greedy);
        assertThat(limit.tryAcquire(greedy)).isTrue();
        assertThat(limit.tryAcquire(greedy)).isFalse();
    }

    @Test
    void anAddressWithNothingInServiceShouldBeForgotten() throws Exception {
        ClientLimit limit = new ClientLimit(2);
        InetAddress client = InetAddress.getByName("192.0.2.7");

        limit.tryAcquire(client);
        limit.tryAcquire(client);
        limit.release(client);
        assertThat(limit.clients()).isEqualTo(1);
        limit.release(client);
        limit.release(client); // an extra release never goes negative
        assertThat(limit.clients()).isZero();
        assertThat(limit.tryAcquire(client)).isTrue();
        assertThat(limit.tryAcquire(client)).isTrue();
        assertThat(limit.tryAcquire(client)).isFalse();
    }

    @Test
    void aNegativeLimitShouldBeRefused() {
        assertThatThrownBy(() -> new ClientLimit(-1)).hasMessageContaining("got -1");
    }
}
