package dev.mailsec.dkim.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What DkimSigner signs verifies with the independent implementations from Debian: dkimpy
 * (python3-dkim, key records through its dnsfunc hook) and OpenDKIM in test mode (opendkim -t, key
 * records from a TestPublicKeys file). Tampered copies must fail with both, so the checks can fail.
 */
class DkimSignerPeerTest {

    private static final String PY = "/usr/bin/python3";

    @TempDir Path dir;

    private static final String DKIMPY =
            String.join(
                    "\n",
                    "import sys, dkim",
                    "records = {}",
                    "for line in open(sys.argv[1]):",
                    "    name, txt = line.rstrip('\\n').split(' ', 1)",
                    "    records[name.encode()] = txt.encode()",
                    "def dns(name, timeout=5):",
                    "    return records.get(name.rstrip(b'.'))",
                    "msg = open(sys.argv[2], 'rb').read()",
                    "d = dkim.DKIM(msg)",
                    "n = len([l for l in msg.split(b'\\r\\n\\r\\n', 1)[0].split(b'\\r\\n') if l.lower().startswith(b'dkim-signature:')])",
                    "def check(i):",
                    "    try:",
                    "        return d.verify(idx=i, dnsfunc=dns)",
                    "    except dkim.ValidationError:",
                    "        return False",
                    "res = [check(i) for i in range(n)]",
                    "print(' '.join('pass' if r else 'fail' for r in res))");

    private Path keys() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(
                KeyRecords.name("rsa-v1", "mailsec.test")
                        + " "
                        + KeyRecords.txt(DkimSignerTest.RSA.getPublic()));
        lines.add(
                KeyRecords.name("ed25519-v1", "mailsec.test")
                        + " "
                        + KeyRecords.txt(DkimSignerTest.ED.getPublic()));
        return Files.write(dir.resolve("keys.txt"), lines);
    }

    private byte[] signed(String message) {
        return DkimSignerTest.dual().signedMessage(message.getBytes(StandardCharsets.ISO_8859_1));
    }

    private String dkimpy(byte[] message) throws Exception {
        Path script =
                Files.write(dir.resolve("verify.py"), DKIMPY.getBytes(StandardCharsets.UTF_8));
        Path msg = Files.write(dir.resolve("msg.eml"), message);
        return run(PY, script.toString(), keys().toString(), msg.toString());
    }

    /**
     * OpenDKIM's verdict line for each signature: "pass" / "fail" in the order opendkim reports.
     */
    private String opendkim(byte[] message) throws Exception {
        Path conf =
                Files.write(
                        dir.resolve("opendkim.conf"),
                        Arrays.asList(
                                "Mode v",
                                "Syslog no",
                                "RequireSafeKeys false",
                                "TestPublicKeys " + keys(),
                                "AuthservID test.mailsec"));
        Path msg = Files.write(dir.resolve("msg.eml"), message);
        return run("opendkim", "-x", conf.toString(), "-t", msg.toString(), "-vvv");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void dkimpyShouldVerifyBothSignatures() throws Exception {
        assertThat(dkimpy(signed(DkimSignerTest.MESSAGE)).trim()).isEqualTo("pass pass");
    }

    @Test
    void dkimpyShouldRejectATamperedBody() throws Exception {
        String s =
                new String(signed(DkimSignerTest.MESSAGE), StandardCharsets.ISO_8859_1)
                        .replace("figures", "numbers");
        assertThat(dkimpy(s.getBytes(StandardCharsets.ISO_8859_1)).trim()).isEqualTo("fail fail");
    }

    @Test
    void opendkimShouldVerifyBothSignatures() throws Exception {
        String out = opendkim(signed(DkimSignerTest.MESSAGE));
        assertThat(out)
                .contains("header.s=rsa-v1")
                .contains("header.s=ed25519-v1")
                .doesNotContain("dkim=fail");
        assertThat(countOf(out, "dkim=pass")).as(out).isEqualTo(2);
    }

    @Test
    void opendkimShouldRejectATamperedHeader() throws Exception {
        String s =
                new String(signed(DkimSignerTest.MESSAGE), StandardCharsets.ISO_8859_1)
                        .replace("Subject:   A folded", "Subject:   A changed");
        String out = opendkim(s.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(out).as(out).doesNotContain("dkim=pass").contains("dkim=fail");
    }

    private static int countOf(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
