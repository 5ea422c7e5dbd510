package dev.mailsec.it.load.stepcpu;

import dev.mailsec.smtp.connector.EnforceInboundConnectors;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;

/** {@link EnforceInboundConnectors}, its {@code doMail} timed into {@link StepCpu}. */
public class TimedEnforceInboundConnectors extends EnforceInboundConnectors {

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        StepCpu.Start start = StepCpu.start();
        try {
            return super.doMail(session, sender);
        } finally {
            StepCpu.add("hook EnforceInboundConnectors", start);
        }
    }
}
