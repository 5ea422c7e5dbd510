package dev.mailsec.cli.dkm;

import dev.mailsec.cli.UserException;
import dev.mailsec.dkm.DkmException;
import dev.mailsec.dkm.DkmNotFoundException;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.SecretInfo;
import dev.mailsec.dkm.SecretKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** What {@code dkm secret put} and {@code rotate} read: the value on stdin, a secret's kind. */
final class SecretInput {
    private SecretInput() {}

    static byte[] stdin(boolean raw) {
        try {
            byte[] b = System.in.readAllBytes();
            int n = b.length;
            if (!raw && n > 0 && b[n - 1] == '\n') {
                n--;
                if (n > 0 && b[n - 1] == '\r') {
                    n--;
                }
            }
            return Arrays.copyOf(b, n);
        } catch (IOException e) {
            throw new UserException("stdin: " + e.getMessage(), 2);
        }
    }

    static byte[] symmetricValue(byte[] in) {
        if (in.length == 32) {
            return in;
        }
        try {
            byte[] k = Base64.getDecoder().decode(new String(in, StandardCharsets.US_ASCII).trim());
            if (k.length == 32) {
                return k;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new UserException(
                "stdin: a SYMMETRIC secret is 32 raw bytes or their base64 (or use --generate)", 2);
    }

    static SecretKind kindOf(KeyManager km, String name) throws DkmException {
        for (SecretInfo i : km.list()) {
            if (i.name().equals(name)) {
                return i.kind();
            }
        }
        throw new DkmNotFoundException("secret: no such secret '" + name + "'");
    }
}
