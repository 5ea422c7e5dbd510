package dev.mailsec.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.mail.MessagingException;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryPath;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class HoldInRepositoryTest {

    private static final String PATH = "file://var/mail/dkim-key-store-down/";

    private final Repository repository = new Repository();

    @Test
    void serviceShouldStoreUnderAFreshNameAndGhostTheMail() throws Exception {
        Mail mail = mail("Mail1-held-before");

        mailet(PATH).service(mail);

        assertThat(repository.mails).hasSize(1);
        String key = repository.mails.keySet().iterator().next();
        assertThat(key).isNotEqualTo("Mail1-held-before").startsWith("Mail");
        assertThat(mail.getName()).isEqualTo(key);
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void holdingTheSameMailAgainShouldNeverReuseTheKeyAReprocessTaskWillRemove() throws Exception {
        HoldInRepository mailet = mailet(PATH);
        mailet.service(mail("Mail1-reprocessed"));
        String firstKey = repository.mails.keySet().iterator().next();

        // what WebAdmin's reprocess does: read the entry, spool it under its key's name; the
        // pipeline holds it
        // again (fault persists) before the task's consume step removes the entry by the key it
        // read
        Mail again = mail(firstKey);
        mailet.service(again);
        repository.remove(new MailKey(firstKey));

        assertThat(repository.mails).containsOnlyKeys(again.getName());
    }

    @Test
    void passThroughShouldStoreACopyAndLetTheMailGoOn() throws Exception {
        Mail mail = mail("Mail1-copy");

        mailet(
                        FakeMailetConfig.builder()
                                .mailetName("hold")
                                .setProperty("repositoryPath", PATH)
                                .setProperty("passThrough", "true")
                                .build())
                .service(mail);

        assertThat(repository.mails).hasSize(1);
        assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
    }

    @Test
    void initShouldRequireTheRepositoryPath() {
        assertThatThrownBy(() -> mailet(FakeMailetConfig.builder().mailetName("hold").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("HoldInRepository: repositoryPath is required");
    }

    @Test
    void initShouldRejectUnknownParameters() {
        assertThatThrownBy(
                        () ->
                                mailet(
                                        FakeMailetConfig.builder()
                                                .mailetName("hold")
                                                .setProperty("repositoryPath", PATH)
                                                .setProperty("notice", "x")
                                                .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "HoldInRepository: unknown parameter 'notice'; known: passThrough, repositoryPath");
    }

    private HoldInRepository mailet(String path) throws MessagingException {
        return mailet(
                FakeMailetConfig.builder()
                        .mailetName("hold")
                        .setProperty("repositoryPath", path)
                        .build());
    }

    private HoldInRepository mailet(FakeMailetConfig config) throws MessagingException {
        HoldInRepository mailet = new HoldInRepository(new Store(repository));
        mailet.init(config);
        return mailet;
    }

    private static Mail mail(String name) throws MessagingException {
        return FakeMail.builder()
                .name(name)
                .sender("alice@mailsec.test")
                .recipient("carol@partner.test")
                .mimeMessage(
                        MimeMessageBuilder.mimeMessageBuilder()
                                .setSubject("held")
                                .setText("body")
                                .build())
                .state("dkim-key-store-down")
                .build();
    }

    /** Keyed by the mail's name, as James's repositories are. */
    private static final class Repository implements MailRepository {
        final Map<String, Mail> mails = new ConcurrentHashMap<>();

        @Override
        public long size() {
            return mails.size();
        }

        @Override
        public MailKey store(Mail mail) {
            mails.put(mail.getName(), mail);
            return new MailKey(mail.getName());
        }

        @Override
        public Iterator<MailKey> list() {
            return mails.keySet().stream().map(MailKey::new).iterator();
        }

        @Override
        public Mail retrieve(MailKey key) {
            return mails.get(key.asString());
        }

        @Override
        public void remove(MailKey key) {
            mails.remove(key.asString());
        }

        @Override
        public void removeAll() {
            mails.clear();
        }
    }

    private static final class Store implements MailRepositoryStore {
        private final MailRepository repository;

        Store(MailRepository repository) {
            this.repository = repository;
        }

        @Override
        public MailRepository select(MailRepositoryUrl url) {
            return repository;
        }

        @Override
        public Optional<Protocol> defaultProtocol() {
            return Optional.empty();
        }

        @Override
        public Optional<MailRepository> get(MailRepositoryUrl url) {
            return Optional.of(repository);
        }

        @Override
        public Stream<MailRepository> getByPath(MailRepositoryPath path) {
            return Stream.of(repository);
        }

        @Override
        public Stream<MailRepositoryUrl> getUrls() {
            return Stream.empty();
        }
    }
}
