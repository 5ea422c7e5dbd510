package dev.mailsec.it.load.stepcpu;

import com.google.inject.Injector;
import java.util.Collection;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.Matcher;
import org.apache.mailet.MatcherConfig;

/**
 * Runs the matcher its condition names ({@code CpuTimedMatcher=CLASS=CONDITION}, made by James's
 * injector, given {@code CONDITION}) and adds the CPU time and allocation of each {@code match()}
 * call to {@link StepCpu} under {@code matcher SimpleName}.
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.it.load.stepcpu.CpuTimedMatcher=dev.mailsec.matchers.IsReceivedOverTls=TLSv1.2" ...>
 * }</pre>
 */
public final class CpuTimedMatcher implements Matcher {

    private final Injector injector;
    private MatcherConfig config;
    private Matcher inner;
    private String step;

    @Inject
    public CpuTimedMatcher(Injector injector) {
        this.injector = injector;
    }

    @Override
    public void init(MatcherConfig config) throws MessagingException {
        this.config = config;
        StepCpu.load();
        String condition = config.getCondition() == null ? "" : config.getCondition();
        int eq = condition.indexOf('=');
        String name = eq < 0 ? condition : condition.substring(0, eq);
        String innerCondition = eq < 0 ? null : condition.substring(eq + 1);
        try {
            Class<? extends Matcher> type =
                    Class.forName(name, true, getClass().getClassLoader())
                            .asSubclass(Matcher.class);
            inner = injector.getInstance(type);
            step = "matcher " + type.getSimpleName();
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new MessagingException("condition: no matcher class '" + name + "'", e);
        }
        inner.init(
                new MatcherConfig() {
                    @Override
                    public String getCondition() {
                        return innerCondition;
                    }

                    @Override
                    public MailetContext getMailetContext() {
                        return config.getMailetContext();
                    }

                    @Override
                    public String getMatcherName() {
                        return name;
                    }
                });
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        StepCpu.Start start = StepCpu.start();
        try {
            return inner.match(mail);
        } finally {
            StepCpu.add(step, start);
        }
    }

    @Override
    public void destroy() {
        inner.destroy();
    }

    @Override
    public MatcherConfig getMatcherConfig() {
        return config;
    }

    @Override
    public String getMatcherInfo() {
        return inner.getMatcherInfo();
    }
}
