package dev.mailsec.mailets.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.DiscoveryOpener;
import dev.mailsec.rights.DiscoveryRole;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.RightsKeyring;
import dev.mailsec.rights.RightsTestMessages;
import java.time.Clock;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;

class JournalDecryptedTest extends RightsMailetTestBase {
    static final String JOURNAL = "journal@mailsec.test";

    JournalDecrypted journal(RightsKeyring keys) throws MessagingException {
        JournalDecrypted j =
                new JournalDecrypted(
                        new JournalDecrypted.Engine(
                                new DiscoveryOpener(
                                        env.settings(), keys, env.store(), Clock.systemUTC()),
                                DiscoveryRole.viaMembership(
                                        env.dkm(),
                                        "james-transport",
                                        DiscoveryRole.DEFAULT_SECRET)));
        j.init(
                config("JournalDecrypted")
                        .setProperty("journal", JOURNAL)
                        .setProperty("onKeyStoreFailure", "journal-held")
                        .build());
        return j;
    }

    void grantRoleToTheService() throws Exception {
        DiscoveryRole.create(
                env.admin(), DiscoveryRole.DEFAULT_GROUP, DiscoveryRole.DEFAULT_SECRET);
        env.admin().addMember(DiscoveryRole.DEFAULT_GROUP, "james-transport");
        env.dkm().invalidateAll();
    }

    @Test
    void journalShouldGetADecryptedMarkedCopyWhileTheMailStaysProtected() throws Exception {
        grantRoleToTheService();
        FakeMail mail = protectedMail("j1@mailsec.test", "do-not-forward", "carol@external.test");
        String licence =
                (String) mail.getAttribute(ProtectMessage.LICENCE).get().getValue().value();
        String before = raw(mail.getMessage());

        journal(env.keyring()).service(mail);

        assertThat(raw(mail.getMessage())).isEqualTo(before);
        assertNoSecret(before);
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("carol@external.test"));
        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail copy = context.getSentMails().get(0);
        assertThat(copy.getRecipients()).containsExactly(new MailAddress(JOURNAL));
        assertThat(copy.getState()).isEqualTo("local-delivery");
        assertThat(raw(copy.getMsg())).contains(RightsTestMessages.BODY_SECRET);
        assertThat(copy.getMsg().getHeader("X-Mailsec-Journal")[0])
                .isEqualTo("decrypted; licence=" + licence + "; by=discovery:james-transport");
        assertThat(copy.getMsg().getHeader("X-Mailsec-Rights")[0]).contains(licence);
        assertThat(copy.getAttributes()).containsKey(JournalDecrypted.JOURNAL_COPY);
        assertThat(env.store().events(licence))
                .filteredOn(e -> e.type() == EventType.DISCOVERY_OPENED)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.address()).isEqualTo("discovery:james-transport");
                            assertThat(e.detail()).contains("journal copy to " + JOURNAL);
                        });
        assertThat(env.store().events(licence))
                .extracting(AccessEvent::address)
                .doesNotContain("carol@external.test");
    }

    @Test
    void withoutTheRoleTheCopyShouldBeHeldProtectedAndDecryptedWhenReprocessed() throws Exception {
        DiscoveryRole.create(
                env.admin(), DiscoveryRole.DEFAULT_GROUP, DiscoveryRole.DEFAULT_SECRET);
        FakeMail mail = protectedMail("j2@mailsec.test", "encrypt-only", "carol@external.test");
        String before = raw(mail.getMessage());
        JournalDecrypted j = journal(env.keyring());
        j.service(mail);

        assertThat(raw(mail.getMessage())).isEqualTo(before);
        assertThat(mail.getState()).isEqualTo("transport");
        FakeMailContext.SentMail held = context.getSentMails().get(0);
        assertThat(held.getState()).isEqualTo("journal-held");
        assertThat(held.getRecipients()).containsExactly(new MailAddress(JOURNAL));
        assertNoSecret(raw(held.getMsg()));

        // the operator grants the role and reprocesses the held copy into this processor
        env.admin().addMember(DiscoveryRole.DEFAULT_GROUP, "james-transport");
        env.dkm().invalidateAll();
        FakeMail reprocessed =
                FakeMail.builder()
                        .name("held-1")
                        .sender("alice@mailsec.test")
                        .recipient(JOURNAL)
                        .mimeMessage(held.getMsg())
                        .attributes(held.getAttributes().values())
                        .state("transport")
                        .build();
        j.service(reprocessed);
        assertThat(reprocessed.getState()).isEqualTo("local-delivery");
        assertThat(raw(reprocessed.getMessage())).contains(RightsTestMessages.BODY_SECRET);
        assertThat(reprocessed.getMessage().getHeader("X-Mailsec-Journal")).isNotNull();
        assertThat(context.getSentMails()).hasSize(1);
        // once decrypted, it is never journalled again
        j.service(reprocessed);
        assertThat(context.getSentMails()).hasSize(1);
    }

    @Test
    void keysDownShouldHoldTheJournalCopyAndLeaveTheMailAlone() throws Exception {
        grantRoleToTheService();
        FakeMail mail = protectedMail("j3@mailsec.test", "encrypt-only", "carol@external.test");
        String before = raw(mail.getMessage());
        journal(new DownKeyring()).service(mail);
        assertThat(raw(mail.getMessage())).isEqualTo(before);
        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(context.getSentMails())
                .singleElement()
                .satisfies(
                        h -> {
                            assertThat(h.getState()).isEqualTo("journal-held");
                            assertThat(h.getRecipients()).containsExactly(new MailAddress(JOURNAL));
                        });
        assertNoSecret(raw(context.getSentMails().get(0).getMsg()));
    }

    @Test
    void unprotectedOrHostileMailShouldGetNoJournalCopyAndNoError() throws Exception {
        grantRoleToTheService();
        FakeMail plain =
                mail(original("j4@mailsec.test", "hi"), "alice@mailsec.test", "bob@mailsec.test");
        journal(env.keyring()).service(plain);
        byte[] bad =
                ("From: a@b.test\r\nTo: c@d.test\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
                                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                                + "Content-Type: application/vnd.mailsec.protected+json; name=message.mailsec\r\n"
                                + "Content-Disposition: attachment; filename=message.mailsec\r\n\r\n"
                                + "{\"format\":\"mailsec-protected/1\",\"licence\":\"x\",\"content\":\"y\"}\r\n--b--\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        FakeMail hostile = mail(bad, "a@b.test", "c@d.test");
        journal(env.keyring()).service(hostile);
        assertThat(context.getSentMails()).isEmpty();
        assertThat(hostile.getState()).isEqualTo("transport");
    }

    @Test
    void initShouldNameTheParameterOfABadConfiguration() {
        assertThatThrownBy(
                        () ->
                                new JournalDecrypted(null)
                                        .init(
                                                config("JournalDecrypted")
                                                        .setProperty("journal", "not an address")
                                                        .setProperty("onKeyStoreFailure", "h")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("journal")
                .hasMessageContaining("'not an address'");
        assertThatThrownBy(
                        () ->
                                new JournalDecrypted(null)
                                        .init(
                                                config("JournalDecrypted")
                                                        .setProperty("journal", JOURNAL)
                                                        .setProperty("onKeyStoreFailure", "h")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("dkmConfig: required");
        assertThatThrownBy(
                        () ->
                                new JournalDecrypted(null)
                                        .init(
                                                config("JournalDecrypted")
                                                        .setProperty("journal", JOURNAL)
                                                        .setProperty("onKeyStoreFailure", "h")
                                                        .setProperty("jornal", "x")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("jornal");
    }
}
