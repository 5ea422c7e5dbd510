package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

public class ClientKeyCacheTest {

    private static final ClientPki PKI = new ClientPki();
    private static final Duration REFRESH = Duration.ofMinutes(5);

    private final MovableClock clock = new MovableClock();
    private final Script source = new Script();
    private final ClientKeyCache cache = new ClientKeyCache(source, REFRESH, clock);

    @Test
    void aKeyShouldBeReadOncePerRefreshPeriodAndANewVersionPresentedAfterIt() throws Exception {
        source.next(key(1));
        source.next(key(2));

        assertThat(cache.current().version()).isEqualTo(1);
        clock.advance(REFRESH.minusSeconds(1));
        assertThat(cache.current().version()).isEqualTo(1);
        assertThat(source.loads).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.current().version()).isEqualTo(2);
        assertThat(source.loads).isEqualTo(2);
    }

    @Test
    void anUnreachableSourceShouldFailOnceTheCachedKeyIsTooOld() throws Exception {
        source.next(key(1));
        source.next(new IOException("DKM unreachable: connection refused"));

        assertThat(cache.current().version()).isEqualTo(1);
        clock.advance(REFRESH);

        assertThatThrownBy(cache::current)
                .isInstanceOf(IOException.class)
                .hasMessage("DKM unreachable: connection refused");
    }

    @Test
    void anUnusableSecretShouldBeATemporaryFailureWhenDelivering() {
        source.next(new InvalidConnectorsException("dkm:tls/bank: no such secret"));

        assertThatThrownBy(cache::current)
                .isInstanceOf(IOException.class)
                .hasMessage("dkm:tls/bank: no such secret");
    }

    @Test
    void theCheckAtStartShouldTellUnreachableFromUnusable() {
        source.next(new IOException("unreachable"));
        source.next(new InvalidConnectorsException("no such secret"));

        assertThatThrownBy(cache::prime).isInstanceOf(IOException.class);
        assertThatThrownBy(cache::prime).isInstanceOf(InvalidConnectorsException.class);
    }

    private static ClientKey key(int version) {
        ClientPki.Issued issued = PKI.client("CN=v" + version);
        try {
            return ClientKey.of(
                    issued.keys.getPrivate(), List.of(issued.certificate), version, Instant.now());
        } catch (InvalidConnectorsException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers each load with the next scripted key or failure. */
    static final class Script implements ClientKeySource {
        private final Deque<Object> answers = new ArrayDeque<>();
        int loads;

        void next(Object answer) {
            answers.add(answer);
        }

        @Override
        public synchronized ClientKey load() throws IOException, InvalidConnectorsException {
            loads++;
            Object answer = answers.size() > 1 ? answers.poll() : answers.peek();
            if (answer instanceof IOException) {
                throw (IOException) answer;
            }
            if (answer instanceof InvalidConnectorsException) {
                throw (InvalidConnectorsException) answer;
            }
            return (ClientKey) answer;
        }

        @Override
        public String describe() {
            return "script";
        }
    }

    /** A clock the test moves by hand (shared by the core tests that need one). */
    public static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
