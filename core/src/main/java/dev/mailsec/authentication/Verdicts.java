package dev.mailsec.authentication;

import dev.mailsec.arc.ArcVerification;
import dev.mailsec.authres.MethodResult;
import dev.mailsec.dkim.DkimAuthResults;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dmarc.DmarcVerdict;
import dev.mailsec.spf.SpfResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The four verdicts of one {@link InboundAuthentication#evaluate} and their A-R results. */
public final class Verdicts {

    private final DkimVerification dkim;
    private final SpfResult spf;
    private final ArcVerification arc;
    private final DmarcVerdict dmarc;
    private final InetAddress clientIp;

    Verdicts(
            DkimVerification dkim,
            SpfResult spf,
            ArcVerification arc,
            DmarcVerdict dmarc,
            InetAddress clientIp) {
        this.dkim = dkim;
        this.spf = spf;
        this.arc = arc;
        this.dmarc = dmarc;
        this.clientIp = clientIp;
    }

    public DkimVerification dkim() {
        return dkim;
    }

    /** Empty when SPF was not evaluated (no client IP, or no SPF checker). */
    public Optional<SpfResult> spf() {
        return Optional.ofNullable(spf);
    }

    public ArcVerification arc() {
        return arc;
    }

    public DmarcVerdict dmarc() {
        return dmarc;
    }

    /**
     * The RFC 8601 results in the order DKIM, SPF, ARC, DMARC, for {@code
     * OurAuthenticationResults.add}.
     */
    public List<MethodResult> methodResults() {
        List<MethodResult> out = new ArrayList<>(DkimAuthResults.methodResults(dkim));
        if (spf != null) {
            out.add(SpfMethodResult.of(spf));
        }
        out.add(arc.methodResult(clientIp == null ? null : clientIp.getHostAddress()));
        out.add(dmarc.methodResult());
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return dkim
                + "; spf="
                + (spf == null ? "(not evaluated)" : spf.code().keyword())
                + "; "
                + arc
                + "; "
                + dmarc;
    }
}
