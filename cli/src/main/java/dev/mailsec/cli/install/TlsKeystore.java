package dev.mailsec.cli.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mailsec.cli.UserException;
import dev.mailsec.shaded.bc.util.encoders.Hex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TLS keystore of the sample's smtpserver.xml (conf/keystore.p12) and its secret: the
 * operator's ({@code --tls-keystore}, {@code --tls-keystore-secret-file}), or one generated once
 * with the JDK's keytool (self-signed, secret in var/mailsec/keystore.secret).
 */
final class TlsKeystore {
    private final InstallLayout layout;
    private final InstallOptions o;
    private final InstallFiles files;

    TlsKeystore(InstallLayout layout, InstallOptions o, InstallFiles files) {
        this.layout = layout;
        this.o = o;
        this.files = files;
    }

    String knownSecret() {
        if (o.tlsKeystoreSecretFile != null) {
            return secretFrom(o.tlsKeystoreSecretFile);
        }
        return Files.isRegularFile(layout.keystoreSecret())
                ? secretFrom(layout.keystoreSecret())
                : null;
    }

    private static String secretFrom(Path file) {
        return new String(InstallFiles.read(file), UTF_8).trim();
    }

    /**
     * conf/keystore.p12 as the sample's smtpserver.xml names it: the operator's (--tls-keystore),
     * or one generated here once (self-signed, secret in var/mailsec/keystore.secret). Returns its
     * secret.
     */
    String secret(boolean create) {
        Path target = layout.keystore();
        if (o.tlsKeystore != null) {
            String secret = secretFrom(o.tlsKeystoreSecretFile);
            byte[] bytes = InstallFiles.read(o.tlsKeystore);
            try (InputStream in = new ByteArrayInputStream(bytes)) {
                KeyStore.getInstance("PKCS12").load(in, secret.toCharArray());
            } catch (IOException | GeneralSecurityException e) {
                throw new UserException(
                        "--tls-keystore-secret-file: does not open the PKCS#12 keystore --tls-keystore '"
                                + o.tlsKeystore
                                + "': "
                                + e.getMessage(),
                        2);
            }
            files.write(
                    target,
                    bytes,
                    InstallFiles.OWNER_ONLY_FILE,
                    "the TLS keystore of --tls-keystore");
            return secret;
        }
        String secret = knownSecret();
        if (Files.isRegularFile(target) && secret != null) {
            files.mode(target, InstallFiles.OWNER_ONLY_FILE);
            return secret;
        }
        if (Files.isRegularFile(target)) {
            throw new UserException(
                    "--tls-keystore: conf/keystore.p12 exists but its secret is unknown; give"
                            + " --tls-keystore "
                            + target
                            + " --tls-keystore-secret-file FILE",
                    2);
        }
        if (!create) {
            return null;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        secret = Hex.toHexString(random);
        files.write(
                layout.keystoreSecret(),
                secret.getBytes(UTF_8),
                InstallFiles.OWNER_ONLY_FILE,
                "secret of the generated TLS keystore");
        generateKeystore(target, secret);
        return secret;
    }

    private void generateKeystore(Path target, String secret) {
        String host = o.domains.get(0);
        Path tmp = target.resolveSibling(".keystore.p12.keytool-tmp");
        List<String> argv =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair",
                        "-alias",
                        "james",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-validity",
                        "825",
                        "-dname",
                        "CN=" + host,
                        "-ext",
                        "SAN=dns:" + host + ",dns:localhost,ip:127.0.0.1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        tmp.toString(),
                        "-storepass:file",
                        layout.keystoreSecret().toString());
        try {
            Files.deleteIfExists(tmp);
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new UserException("keytool could not make a TLS keystore: " + out.trim(), 1);
            }
            files.write(
                    target,
                    Files.readAllBytes(tmp),
                    InstallFiles.OWNER_ONLY_FILE,
                    "a self-signed TLS certificate for "
                            + host
                            + "; replace it with --tls-keystore");
            Files.delete(tmp);
        } catch (IOException e) {
            throw new UserException(
                    "cannot run keytool (" + argv.get(0) + "): " + e.getMessage(), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while keytool made the TLS keystore", 1);
        }
    }
}
