package dev.mailsec.it.load.stepcpu;

import dev.mailsec.smtp.RefuseCutMessages;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.mailet.Mail;

/**
 * {@link RefuseCutMessages}, its {@code onConnect} and {@code onMessage} timed into {@link StepCpu}
 * (its channel watcher only sees exceptions; it costs nothing per line it passes).
 */
public class TimedRefuseCutMessages extends RefuseCutMessages {

    @Override
    public Response onConnect(SMTPSession session) {
        StepCpu.Start start = StepCpu.start();
        try {
            return super.onConnect(session);
        } finally {
            StepCpu.add("hook RefuseCutMessages (connect)", start);
        }
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        StepCpu.Start start = StepCpu.start();
        try {
            return super.onMessage(session, mail);
        } finally {
            StepCpu.add("hook RefuseCutMessages", start);
        }
    }
}
