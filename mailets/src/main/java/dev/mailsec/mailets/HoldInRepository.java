package dev.mailsec.mailets;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.mailets.metrics.JamesMetrics;
import dev.mailsec.metrics.Metrics;
import java.util.Set;
import java.util.UUID;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.transport.mailets.ToRepository;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's own {@code ToRepository} (same parameters, same repository store), except that the mail
 * is stored under a fresh unique name, so that holding it again can never overwrite an entry that
 * someone is about to delete. Use it for every repository an operator may reprocess: holds (key
 * store down), quarantines, error repositories.
 *
 * <p>Why: WebAdmin's {@code action=reprocess} in James 3.8.1 puts each held mail back into the
 * spool and then, as its "consume" step, removes the repository entry by its key, which is the
 * mail's name. If the fault that held the mail persists, the pipeline holds it again, and {@code
 * ToRepository} stores it under that same name; when the spool is quicker than the consume step,
 * the consume step deletes the mail just held again, and it is gone. With a fresh name per hold the
 * consume step only ever removes the entry it read, so reprocessing while the fault persists is
 * harmless, in any order of steps.
 *
 * <pre>{@code
 * <processor state="dkim-key-store-down" enableJmx="true">
 *     <mailet match="All" class="dev.mailsec.mailets.HoldInRepository">
 *         <repositoryPath>file://var/mail/dkim-key-store-down/</repositoryPath>
 *     </mailet>
 * </processor>
 * }</pre>
 *
 * {@code repositoryPath}: required, a repository URL of a protocol registered in {@code
 * mailrepositorystore.xml} (use {@code file://} or a database so held mail survives a restart);
 * {@code passThrough}: optional, default {@code false}: {@code true} stores a copy and lets the
 * mail go on. Other parameters fail the start.
 */
public class HoldInRepository extends ToRepository {

    static final String REPOSITORY_PATH = "repositoryPath";
    static final String PASS_THROUGH = "passThrough";

    private static final Logger LOGGER = LoggerFactory.getLogger(HoldInRepository.class);
    private Metrics metrics = Metrics.NONE;

    @Inject
    public HoldInRepository(MailRepositoryStore mailStore) {
        super(mailStore);
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown(
                "HoldInRepository", getInitParameterNames(), Set.of(REPOSITORY_PATH, PASS_THROUGH));
        try {
            Parameters.of("HoldInRepository", this::getInitParameter).required(REPOSITORY_PATH);
        } catch (ConfigException e) {
            throw new MessagingException(
                    e.getMessage() + ", e.g. file://var/mail/dkim-key-store-down/", e);
        }
        super.init();
    }

    /** James's metrics (docs/metrics.md); none outside James. */
    @Inject
    public void setMetricFactory(MetricFactory factory) {
        metrics = JamesMetrics.of(factory);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String previous = mail.getName();
        String fresh = freshName();
        mail.setName(fresh);
        // the old name links this entry to earlier log lines (spool, previous hold) of the same
        // mail
        LOGGER.info("holding mail {} as {}", previous, fresh);
        super.service(mail);
        metrics.held(getInitParameter(REPOSITORY_PATH));
    }

    /**
     * The shape of the names James itself gives mail ({@code Mail<millis>-<uuid>}), unique per
     * call.
     */
    static String freshName() {
        return "Mail" + System.currentTimeMillis() + "-" + UUID.randomUUID();
    }

    @Override
    public String getMailetInfo() {
        return "HoldInRepository: ToRepository under a fresh unique name, safe to reprocess while the fault persists";
    }
}
