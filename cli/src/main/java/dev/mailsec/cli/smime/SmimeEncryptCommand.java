package dev.mailsec.cli.smime;

import dev.mailsec.cli.UserException;
import dev.mailsec.smime.ContentEncryption;
import dev.mailsec.smime.EncryptionRecipient;
import dev.mailsec.smime.KeyTransport;
import dev.mailsec.smime.SmimeEncryptor;
import dev.mailsec.smime.SmimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./mailsec smime encrypt MESSAGE}: enveloped for every recipient certificate. */
@Command(
        name = "encrypt",
        mixinStandardHelpOptions = true,
        description = "Encrypt MESSAGE for every --cert (RSA or EC).")
final class SmimeEncryptCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MESSAGE")
    String message;

    @Option(
            names = "--cert",
            required = true,
            paramLabel = "FILE",
            description = "recipient certificate, repeatable")
    List<Path> certs;

    @Option(
            names = "--cipher",
            defaultValue = "aes256-cbc",
            description = "aes256-cbc (default) or aes256-gcm")
    String cipher;

    @Option(
            names = "--key-transport",
            defaultValue = "rsa-pkcs1",
            description = "rsa-pkcs1 (default, every client) or rsa-oaep; EC uses ECDH")
    String transport;

    @Override
    public Integer call() {
        ContentEncryption content = SmimeFiles.setting(() -> ContentEncryption.parse(cipher));
        KeyTransport rsa = SmimeFiles.setting(() -> KeyTransport.parse(transport));
        List<EncryptionRecipient> recipients = new ArrayList<>();
        for (Path c : certs) {
            for (X509Certificate x : SmimeFiles.certificates(c)) {
                recipients.add(SmimeFiles.setting(() -> EncryptionRecipient.of(x, rsa)));
                break;
            }
        }
        try (InputStream in = SmimeFiles.open(message);
                OutputStream out = SmimeFiles.stdout()) {
            new SmimeEncryptor().encrypt(in, out, recipients, content);
        } catch (SmimeException e) {
            throw new UserException("cannot encrypt: " + e.getMessage());
        } catch (IOException e) {
            throw new UserException("I/O error: " + e.getMessage());
        }
        return 0;
    }
}
