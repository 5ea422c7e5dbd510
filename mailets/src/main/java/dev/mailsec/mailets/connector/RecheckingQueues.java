package dev.mailsec.mailets.connector;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
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
 * James's mail queues as a RemoteDelivery whose decision depends on the recipient domain's DNS sees
 * them: before each delivery attempt (the first and every retry: RemoteDelivery takes each attempt
 * from its outgoing queue), the domain's policy is looked up again, and recipients whose domain now
 * belongs elsewhere are handed to that processor instead of being delivered here. The fallback
 * {@link MtaStsRemoteDelivery} ({@code mtaSts=report}) of an {@code mta-sts} connector hands over
 * domains that now have an {@code enforce} policy (published, or reachable again, while the mail
 * waited); the {@link DaneRemoteDelivery} of a {@code dane} connector hands domains DANE now
 * applies to from the fallback to the DANE delivery, and domains it no longer applies to back. The
 * receiving delivery starts its retries afresh (RemoteDelivery counts them per queue). A mail that
 * cannot be handed over goes back into the outgoing queue for a minute, so it is neither lost nor
 * delivered under the wrong policy. Everything else is James's queue unchanged.
 */
final class RecheckingQueues implements MailQueueFactory<MailQueue> {

    private static final Logger LOGGER = LoggerFactory.getLogger(RecheckingQueues.class);
    static final Duration REQUEUE_DELAY = Duration.ofMinutes(1);

    private final MailQueueFactory<?> queues;
    private final String label;
    private volatile Predicate<String> handOver;
    private volatile MailetContext context;
    private volatile String processor;

    /**
     * @param label what decides, for the log ({@code MTA-STS}, {@code DANE})
     */
    RecheckingQueues(MailQueueFactory<?> queues, String label) {
        this.queues = queues;
        this.label = label;
    }

    /**
     * Set once by the mailet's {@code init()}, before its queue is created; without it, no
     * re-check.
     *
     * @param handOver true for a recipient domain whose mail now goes to {@code processor}; it must
     *     not throw
     */
    void recheckInto(Predicate<String> handOver, MailetContext context, String processor) {
        this.handOver = handOver;
        this.context = context;
        this.processor = processor;
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
        return processor == null ? queue : new Rechecking(queue);
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

        /** False when the whole mail went to the other processor and this item is done. */
        private boolean deliverHere(MailQueueItem item) {
            Mail mail = item.getMail();
            List<MailAddress> moved = new ArrayList<>();
            List<MailAddress> others = new ArrayList<>();
            Map<String, Boolean> movedByDomain = new HashMap<>();
            for (MailAddress recipient : mail.getRecipients()) {
                String domain = recipient.getDomain().asString();
                boolean move = movedByDomain.computeIfAbsent(domain, handOver::test);
                (move ? moved : others).add(recipient);
            }
            if (moved.isEmpty()) {
                return true;
            }
            try {
                if (others.isEmpty()) {
                    LOGGER.info(
                            "{}: the policy of {} changed; mail {} goes to {} instead",
                            label,
                            movedByDomain.keySet(),
                            mail.getName(),
                            processor);
                    context.sendMail(mail.duplicate(), processor);
                    item.done(MailQueueItem.CompletionStatus.SUCCESS);
                    return false;
                }
                Mail copy = mail.duplicate();
                copy.setRecipients(moved);
                LOGGER.info(
                        "{}: the policy of recipients {} of mail {} changed; they go to {}",
                        label,
                        moved,
                        mail.getName(),
                        processor);
                context.sendMail(copy, processor);
                mail.setRecipients(others);
                return true;
            } catch (Exception handOverFailed) {
                LOGGER.error(
                        "{}: cannot hand mail {} to {}; it waits {} in {}",
                        label,
                        mail.getName(),
                        processor,
                        REQUEUE_DELAY,
                        queue.getName().asString(),
                        handOverFailed);
                try {
                    queue.enQueue(mail, REQUEUE_DELAY);
                    item.done(MailQueueItem.CompletionStatus.SUCCESS);
                } catch (Exception requeueFailed) {
                    LOGGER.error(
                            "{}: cannot put mail {} back into {}",
                            label,
                            mail.getName(),
                            queue.getName().asString(),
                            requeueFailed);
                    try {
                        item.done(MailQueueItem.CompletionStatus.RETRY);
                    } catch (Exception retryFailed) {
                        LOGGER.error(
                                "{}: mail {} could not be released to the queue",
                                label,
                                mail.getName(),
                                retryFailed);
                    }
                }
                return false;
            }
        }
    }
}
