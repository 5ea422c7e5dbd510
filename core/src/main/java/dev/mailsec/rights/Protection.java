package dev.mailsec.rights;

import javax.mail.internet.MimeMessage;

/**
 * What {@link RightsProtector#protect} made: the licence, the package, and the wrapper message to
 * send.
 */
public final class Protection {
    private final UseLicence licence;
    private final ProtectedPackage pkg;
    private final MimeMessage wrapper;

    Protection(UseLicence licence, ProtectedPackage pkg, MimeMessage wrapper) {
        this.licence = licence;
        this.pkg = pkg;
        this.wrapper = wrapper;
    }

    public UseLicence licence() {
        return licence;
    }

    public ProtectedPackage pkg() {
        return pkg;
    }

    /** The message that travels instead of the original (saved: headers are final). */
    public MimeMessage wrapper() {
        return wrapper;
    }

    @Override
    public String toString() {
        return "Protection[" + licence + "]";
    }
}
