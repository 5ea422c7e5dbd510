package dev.mailsec.cli.smime;

import dev.mailsec.cli.UserException;
import dev.mailsec.smime.PemSmimeKeySource;
import dev.mailsec.smime.SmimeKeyPair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the S/MIME commands read and write: PEM keys and certificates, the message (a file or {@code
 * -}, stdin), stdout, and settings whose errors become usage errors.
 */
final class SmimeFiles {
    private SmimeFiles() {}

    static SmimeKeyPair keyPair(Path key, Path cert) {
        try {
            return PemSmimeKeySource.load(key.getFileName().toString(), key, cert);
        } catch (IOException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }

    static List<X509Certificate> certificates(Path file) {
        try {
            List<X509Certificate> list = PemSmimeKeySource.readCertificates(file);
            if (list.isEmpty()) {
                throw new UserException("--cert: no certificate in " + file, 2);
            }
            return list;
        } catch (IOException e) {
            throw new UserException("--cert: " + e.getMessage(), 2);
        }
    }

    static InputStream open(String message) throws IOException {
        if ("-".equals(message)) {
            return new BufferedInputStream(System.in, 64 * 1024);
        }
        Path p = Path.of(message);
        if (!Files.isReadable(p)) {
            throw new UserException("cannot read message file " + message, 2);
        }
        return new BufferedInputStream(Files.newInputStream(p), 64 * 1024);
    }

    static OutputStream stdout() {
        return new BufferedOutputStream(
                new FilterOutputStream(System.out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                },
                64 * 1024);
    }

    interface Setting<T> {
        T get();
    }

    static <T> T setting(Setting<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), 2);
        }
    }
}
