package dev.mailsec.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.rights.ForwardingPolicy.Decision;
import dev.mailsec.rights.ForwardingPolicy.Use;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The forwarding decision on its own: stored messages as the rights store records them, no mail.
 */
class ForwardingPolicyTest {

    static final String ALICE = "alice@mailsec.test";
    static final String BOB = "bob@mailsec.test";
    static final String CAROL = "carol@example.org";

    final RightsSettings settings =
            RightsSettings.builder()
                    .issuer("mailsec.test")
                    .storeUrl("file:///tmp/unused-rights-store", Path.of("/"))
                    .build();
    final ForwardingPolicy policy = new ForwardingPolicy(settings);

    static StoredMessage stored(String licence, String template, Set<Right> rights) {
        return new StoredMessage(
                licence,
                licence + "@mailsec.test",
                ALICE,
                Set.of(BOB),
                template,
                rights,
                Instant.parse("2026-12-01T10:00:00Z"),
                null,
                null);
    }

    static StoredMessage doNotForward(String licence) {
        return stored(licence, "do-not-forward", RightsTemplate.DO_NOT_FORWARD.rights());
    }

    static StoredMessage encryptOnly(String licence) {
        return stored(licence, "encrypt-only", RightsTemplate.ENCRYPT_ONLY.rights());
    }

    @Test
    void nothingProtectedCarriedShouldBeAllowed() {
        Decision d = policy.decide(new ForwardingPolicy.Carried(), BOB, List.of(CAROL));
        assertThat(d.kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(d.violations()).isEmpty();
        assertThatThrownBy(d::template).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void doNotForwardToSomeoneOutsideShouldBounceNamingThemEvenForItsSender() {
        Decision d =
                policy.decide(
                        new ForwardingPolicy.Carried().add(doNotForward("l1"), Use.REFERENCE),
                        ALICE,
                        List.of(BOB, "Carol@Example.org"));
        assertThat(d.kind()).isEqualTo(Decision.Kind.BOUNCE);
        assertThat(d.violations())
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.licenceId()).isEqualTo("l1");
                            assertThat(v.reason())
                                    .isEqualTo(
                                            "The protected message <l1@mailsec.test> (template do-not-forward, rights "
                                                    + "view, reply, reply-all) may not be forwarded to anyone outside its recipients: carol@example.org.");
                        });
        assertThat(d.bounceReason())
                .startsWith("Your message was not sent. The protected message <l1@mailsec.test>");
    }

    @Test
    void doNotForwardResentOrForwardedByARecipientShouldBounceEvenInsideItsRecipients() {
        for (Use use : List.of(Use.FORWARD, Use.RESEND)) {
            Decision d =
                    policy.decide(
                            new ForwardingPolicy.Carried().add(doNotForward("l1"), use),
                            BOB,
                            List.of(ALICE));
            assertThat(d.kind()).as(use.toString()).isEqualTo(Decision.Kind.BOUNCE);
            assertThat(d.violations().get(0).reason())
                    .endsWith(", not even to its own recipients.");
        }
    }

    @Test
    void aReplyInsideTheRecipientsOrTheSendersOwnForwardShouldStayDoNotForward() {
        Decision reply =
                policy.decide(
                        new ForwardingPolicy.Carried().add(doNotForward("l1"), Use.REFERENCE),
                        BOB,
                        List.of(ALICE));
        assertThat(reply.kind()).isEqualTo(Decision.Kind.REPROTECT);
        assertThat(reply.template()).isSameAs(RightsTemplate.DO_NOT_FORWARD);
        Decision own =
                policy.decide(
                        new ForwardingPolicy.Carried().add(doNotForward("l1"), Use.FORWARD),
                        "ALICE@mailsec.test",
                        List.of(BOB));
        assertThat(own.kind()).isEqualTo(Decision.Kind.REPROTECT);
    }

    @Test
    void encryptOnlyForwardedAnywhereShouldBeProtectedAgainWithTheStrictestTemplateCarried() {
        Decision d =
                policy.decide(
                        new ForwardingPolicy.Carried()
                                .add(encryptOnly("l1"), Use.FORWARD)
                                .add(doNotForward("l2"), Use.REFERENCE)
                                .add(encryptOnly("l3"), Use.FORWARD),
                        ALICE,
                        List.of(BOB));
        assertThat(d.kind()).isEqualTo(Decision.Kind.REPROTECT);
        assertThat(d.template().name()).isEqualTo("do-not-forward");
        Decision outside =
                policy.decide(
                        new ForwardingPolicy.Carried().add(encryptOnly("l1"), Use.FORWARD),
                        BOB,
                        List.of(CAROL));
        assertThat(outside.template()).isSameAs(RightsTemplate.ENCRYPT_ONLY);
    }

    @Test
    void everyViolationShouldBeReportedInTheOrderCarried() {
        Decision d =
                policy.decide(
                        new ForwardingPolicy.Carried()
                                .add(doNotForward("l1"), Use.FORWARD)
                                .add(encryptOnly("l2"), Use.FORWARD)
                                .add(doNotForward("l3"), Use.RESEND),
                        BOB,
                        List.of(CAROL));
        assertThat(d.violations())
                .extracting(ForwardingPolicy.Violation::licenceId)
                .containsExactly("l1", "l3");
    }

    @Test
    void aTemplateChangedOrRemovedSinceShouldKeepTheRightsThatWereIssued() {
        Set<Right> issued = EnumSet.of(Right.VIEW, Right.FORWARD);
        Decision gone =
                policy.decide(
                        new ForwardingPolicy.Carried()
                                .add(stored("l1", "partners", issued), Use.FORWARD),
                        BOB,
                        List.of(CAROL));
        assertThat(gone.template().name()).isEqualTo("partners");
        assertThat(gone.template().rights()).isEqualTo(issued);
        RightsSettings changed =
                RightsSettings.builder()
                        .issuer("mailsec.test")
                        .storeUrl("file:///tmp/unused-rights-store", Path.of("/"))
                        .template(
                                RightsTemplate.of(
                                        "partners",
                                        EnumSet.of(Right.VIEW, Right.FORWARD, Right.PRINT),
                                        Duration.ofDays(7)))
                        .build();
        Decision d =
                new ForwardingPolicy(changed)
                        .decide(
                                new ForwardingPolicy.Carried()
                                        .add(stored("l1", "partners", issued), Use.FORWARD),
                                BOB,
                                List.of(CAROL));
        assertThat(d.template().rights()).isEqualTo(issued);
        assertThat(d.template().expiry()).isEmpty();
    }
}
