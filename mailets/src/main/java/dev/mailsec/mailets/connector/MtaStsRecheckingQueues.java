package dev.mailsec.mailets.connector;

import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.james.core.MailAddress;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * James's mail queues as the fallback {@link MtaStsRemoteDelivery} ({@code mtaSts=report}) of an
 * {@code mta-sts} connector sees them: before each delivery attempt (the first and every retry:
 * RemoteDelivery takes each attempt from its outgoing queue), the recipient domain's MTA-STS policy
 * is looked up again, and a mail whose domain now has an {@code enforce} policy (published, or
 * reachable again, while the mail waited) is handed to the connector's enforce processor instead of
 * being delivered at the fallback level; the enforce delivery starts its retries afresh
 * (RemoteDelivery counts them per queue). A mail that cannot be handed over goes back into the
 * outgoing queue for a minute, so it is neither lost nor delivered below its policy. Everything
 * else is James's queue unchanged.
 */
final class MtaStsRecheckingQueues implements MailQueueFactory<MailQueue> {

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsRecheckingQueues.class);
    static final Duration REQUEUE_DELAY = Duration.ofMinutes(1);

    private final MailQueueFactory<?> queues;
    private volatile MtaStsResolver resolver;
    private volatile MailetContext context;
    private volatile String enforceProcessor;

    MtaStsRecheckingQueues(MailQueueFactory<?> queues) {
        this.queues = queues;
    }

    /**
     * Set once by the mailet's {@code init()}, before its queue is created; without it, no
     * re-check.
     */
    void recheckInto(MtaStsResolver resolver, MailetContext context, String enforceProcessor) {
        this.resolver = resolver;
        this.context = context;
        this.enforceProcessor = enforceProcessor;
    }

    @Override
    public Optional<MailQueue> getQueue(MailQueueName name, PrefetchCount count) {
        return queues.getQueue(name, count).map(this::rechecking);
    }

    @Override
    public MailQueue createQueue(MailQueueName name, PrefetchCount count) {
        return rechecking(queues.createQueue(name, count));
    }

    @Override
    public Set<MailQueueName> listCreatedMailQueues() {
        return queues.listCreatedMailQueues();
    }

    private MailQueue rechecking(MailQueue queue) {
        return enforceProcessor == null ? queue : new Rechecking(queue);
    }

    private final class Rechecking implements MailQueue {
        private final MailQueue queue;

        Rechecking(MailQueue queue) {
            this.queue = queue;
        }

        @Override
        public MailQueueName getName() {
            return queue.getName();
        }

        @Override
        public void enQueue(Mail mail, Duration delay) throws MailQueueException {
            queue.enQueue(mail, delay);
        }

        @Override
        public void enQueue(Mail mail) throws MailQueueException {
            queue.enQueue(mail);
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            return queue.enqueueReactive(mail);
        }

        @Override
        public Publisher<MailQueueItem> deQueue() {
            return Flux.from(queue.deQueue()).filter(this::deliverHere);
        }

        @Override
        public void close() throws IOException {
            queue.close();
        }

        /**
         * False when the mail (or part of it) went to the enforce processor and this item is done.
         */
        private boolean deliverHere(MailQueueItem item) {
            Mail mail = item.getMail();
            List<MailAddress> enforced = new ArrayList<>();
            List<MailAddress> others = new ArrayList<>();
            Map<String, Boolean> enforcedByDomain = new HashMap<>();
            for (MailAddress recipient : mail.getRecipients()) {
                String domain = recipient.getDomain().asString();
                boolean enforce = enforcedByDomain.computeIfAbsent(domain, this::enforcePolicy);
                (enforce ? enforced : others).add(recipient);
            }
            if (enforced.isEmpty()) {
                return true;
            }
            try {
                if (others.isEmpty()) {
                    LOGGER.info(
                            "MTA-STS: {} now has an enforce policy; mail {} goes to {} instead of the fallback delivery",
                            enforcedByDomain.keySet(),
                            mail.getName(),
                            enforceProcessor);
                    context.sendMail(mail.duplicate(), enforceProcessor);
                    item.done(MailQueueItem.CompletionStatus.SUCCESS);
                    return false;
                }
                Mail copy = mail.duplicate();
                copy.setRecipients(enforced);
                LOGGER.info(
                        "MTA-STS: recipients {} of mail {} now have an enforce policy; they go to {}",
                        enforced,
                        mail.getName(),
                        enforceProcessor);
                context.sendMail(copy, enforceProcessor);
                mail.setRecipients(others);
                return true;
            } catch (Exception handOverFailed) {
                LOGGER.error(
                        "MTA-STS: cannot hand mail {} to {}; it waits {} in {}",
                        mail.getName(),
                        enforceProcessor,
                        REQUEUE_DELAY,
                        queue.getName().asString(),
                        handOverFailed);
                try {
                    queue.enQueue(mail, REQUEUE_DELAY);
                    item.done(MailQueueItem.CompletionStatus.SUCCESS);
                } catch (Exception requeueFailed) {
                    LOGGER.error(
                            "MTA-STS: cannot put mail {} back into {}",
                            mail.getName(),
                            queue.getName().asString(),
                            requeueFailed);
                    try {
                        item.done(MailQueueItem.CompletionStatus.RETRY);
                    } catch (Exception retryFailed) {
                        LOGGER.error(
                                "MTA-STS: mail {} could not be released to the queue",
                                mail.getName(),
                                retryFailed);
                    }
                }
                return false;
            }
        }

        private boolean enforcePolicy(String domain) {
            try {
                return resolver.resolve(domain)
                        .policy()
                        .map(p -> p.mode() == MtaStsPolicy.Mode.ENFORCE)
                        .orElse(false);
            } catch (RuntimeException lookupFailed) {
                // RFC 8461 section 5.1: no policy known, deliver as if the domain had none
                LOGGER.warn(
                        "MTA-STS: policy lookup for {} failed; delivering at the fallback level",
                        domain,
                        lookupFailed);
                return false;
            }
        }
    }
}
