package dev.mailsec.it.load.stepcpu;

import dev.mailsec.smtp.RecordTlsFacts;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.mailet.Mail;

/** {@link RecordTlsFacts}, its {@code onMessage} timed into {@link StepCpu}. */
public class TimedRecordTlsFacts extends RecordTlsFacts {

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        StepCpu.Start start = StepCpu.start();
        try {
            return super.onMessage(session, mail);
        } finally {
            StepCpu.add("hook RecordTlsFacts", start);
        }
    }
}
