package dev.mailsec.cli.arc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.arc.ArcPeer;
import dev.mailsec.arc.ArcPeer.Sealer;
import dev.mailsec.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailsec arc verify|seal} on dkimpy's chains; dkimpy checks what seal prints. */
class ArcCommandTest {

    static final String MESSAGE =
            "From: Alice <alice@example.com>\r\n"
                    + "To: list@example.org\r\n"
                    + "Subject: cli\r\n"
                    + "\r\n"
                    + "Hello.\r\n";

    @TempDir Path dir;

    @Test
    void verifyPrintsTheResultAndSealAddsASetDkimpyAccepts() throws Exception {
        ArcPeer peer = new ArcPeer(dir);
        Sealer hop1 = peer.sealer("hop1.example", "rsa-sha256");
        Sealer ours = peer.sealer("fwd.example", "rsa-sha256");
        Path in = dir.resolve("in.eml");
        Files.write(in, peer.dkimpySeal(MESSAGE.getBytes(StandardCharsets.US_ASCII), hop1, null));
        Path zone = peer.zoneFile();

        CliRun v = CliRun.of("arc", "verify", "--zone", zone.toString(), in.toString());
        assertThat(v.exitCode).as(v.err).isZero();
        assertThat(v.out)
                .contains("arc=pass header.oldest-pass=0")
                .contains("i=1 sealer=hop1.example aar=mx.hop1.example; spf=pass");

        Path pem = ours.keyFile();
        CliRun s =
                CliRun.of(
                        "arc",
                        "seal",
                        "--zone",
                        zone.toString(),
                        "--key",
                        pem.toString(),
                        "--domain",
                        "fwd.example",
                        "--selector",
                        "rsa",
                        "--authserv-id",
                        "mx.fwd.example",
                        in.toString());
        assertThat(s.exitCode).as(s.err).isZero();
        assertThat(s.out).startsWith("ARC-Seal: i=2; cv=pass; a=rsa-sha256; d=fwd.example; s=rsa;");
        assertThat(peer.dkimpyVerify(s.outBytes)[0]).isEqualTo("pass");

        Path tampered = dir.resolve("tampered.eml");
        Files.writeString(
                tampered,
                new String(s.outBytes, StandardCharsets.US_ASCII).replace("Hello", "Bye"));
        CliRun f = CliRun.of("arc", "verify", "--zone", zone.toString(), tampered.toString());
        assertThat(f.exitCode).isEqualTo(1);
        assertThat(f.out).contains("arc=fail (ARC-Message-Signature 2: body hash did not verify)");
    }
}
