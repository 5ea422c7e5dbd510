package dev.mailsec.it.load.stepcpu;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;
import org.apache.mailet.ProcessingState;

/**
 * Runs the mailet named by its {@code timedMailet} parameter (made by James's injector, as James
 * would make it, and given every other parameter) and adds the CPU time and allocation of each
 * {@code service()} call to {@link StepCpu} under {@code mailet SimpleName}.
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.it.load.stepcpu.CpuTimedMailet">
 *     <timedMailet>dev.mailsec.mailets.dkim.VerifyDkim</timedMailet>
 *     <authservId>mailsec.test</authservId>
 * </mailet>
 * }</pre>
 */
public final class CpuTimedMailet implements Mailet {

    static final String TIMED = "timedMailet";

    private final Injector injector;
    private MailetConfig config;
    private Mailet inner;
    private String step;

    @Inject
    public CpuTimedMailet(Injector injector) {
        this.injector = injector;
    }

    @Override
    public void init(MailetConfig config) throws MessagingException {
        this.config = config;
        StepCpu.load();
        String name = config.getInitParameter(TIMED);
        if (name == null) {
            throw new MessagingException(TIMED + ": the mailet class to time is missing");
        }
        try {
            Class<? extends Mailet> type =
                    Class.forName(name, true, getClass().getClassLoader()).asSubclass(Mailet.class);
            inner = injector.getInstance(type);
            step = "mailet " + type.getSimpleName();
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new MessagingException(TIMED + ": no mailet class '" + name + "'", e);
        }
        inner.init(new InnerConfig(config, name));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        StepCpu.Start start = StepCpu.start();
        try {
            inner.service(mail);
        } finally {
            StepCpu.add(step, start);
        }
    }

    @Override
    public void destroy() {
        inner.destroy();
    }

    @Override
    public MailetConfig getMailetConfig() {
        return config;
    }

    @Override
    public String getMailetInfo() {
        return inner.getMailetInfo();
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return inner.requiredProcessingState();
    }

    /** The wrapper's configuration without {@code timedMailet}, named as the inner mailet. */
    private static final class InnerConfig implements MailetConfig {
        private final MailetConfig outer;
        private final String name;

        InnerConfig(MailetConfig outer, String name) {
            this.outer = outer;
            this.name = name;
        }

        @Override
        public String getInitParameter(String parameter) {
            return TIMED.equals(parameter) ? null : outer.getInitParameter(parameter);
        }

        @Override
        public Iterator<String> getInitParameterNames() {
            List<String> names = new ArrayList<>();
            outer.getInitParameterNames()
                    .forEachRemaining(
                            n -> {
                                if (!TIMED.equals(n)) {
                                    names.add(n);
                                }
                            });
            return names.iterator();
        }

        @Override
        public MailetContext getMailetContext() {
            return outer.getMailetContext();
        }

        @Override
        public String getMailetName() {
            return name;
        }
    }
}
