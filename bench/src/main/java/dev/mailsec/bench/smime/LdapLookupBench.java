package dev.mailsec.bench.smime;

import dev.mailsec.smime.LdapBind;
import dev.mailsec.smime.LdapCertificateDirectory;
import dev.mailsec.smime.LdapTls;
import dev.mailsec.smime.Slapd;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeTestPki;
import dev.mailsec.smime.TrustAnchors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One uncached recipient-certificate lookup (connect, bind, search, close) against a local OpenLDAP
 * slapd (Debian {@code slapd ldap-utils}), anonymous, with a simple bind, and with a simple bind
 * over {@code ldaps://} trusting a private CA; and a lookup answered from the directory's cache.
 * What a gateway pays per recipient it has not looked up within the cache's ten minutes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LdapLookupBench {

    private Path dir;
    private Slapd slapd;
    private LdapCertificateDirectory anonymous;
    private LdapCertificateDirectory bound;
    private LdapCertificateDirectory boundTls;
    private LdapCertificateDirectory cached;

    @Setup
    public void start() throws Exception {
        dir = Files.createTempDirectory("mailsec-ldap-bench");
        SmimeKeyPair bob = new SmimeTestPki("Bench LDAP CA").user("bob@example.test");
        Files.write(dir.resolve("bob.der"), bob.certificate().getEncoded());
        Slapd.writeTlsFiles(dir);
        int tlsPort = Slapd.freePort();
        slapd =
                Slapd.start(
                        dir,
                        Slapd.freePort(),
                        ""
                                + "dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n"
                                + "dn: uid=bob,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: bob\ncn: Bob\nsn: B\n"
                                + "mail: bob@example.test\nuserCertificate;binary:< file://"
                                + dir.resolve("bob.der")
                                + "\n\n",
                        "",
                        tlsPort,
                        dir.resolve("server.pem"),
                        dir.resolve("server.key"));
        LdapBind admin =
                LdapBind.withPassword("cn=admin,dc=example,dc=test", "secret".toCharArray());
        anonymous =
                directory(slapd.url(), LdapBind.anonymous(), LdapTls.jvmDefault(), Duration.ZERO);
        bound = directory(slapd.url(), admin, LdapTls.jvmDefault(), Duration.ZERO);
        boundTls =
                directory(
                        "ldaps://127.0.0.1:" + tlsPort,
                        admin,
                        LdapTls.trusting(TrustAnchors.load(dir.resolve("tls-ca.pem"))),
                        Duration.ZERO);
        cached = directory(slapd.url(), admin, LdapTls.jvmDefault(), Duration.ofMinutes(10));
        for (LdapCertificateDirectory d : List.of(anonymous, bound, boundTls, cached)) {
            if (d.lookup("bob@example.test").size() != 1) {
                throw new IllegalStateException("bench directory did not find bob via " + d);
            }
        }
    }

    private static LdapCertificateDirectory directory(
            String url, LdapBind bind, LdapTls tls, Duration ttl) {
        return new LdapCertificateDirectory(
                url,
                "dc=example,dc=test",
                bind,
                tls,
                LdapCertificateDirectory.DEFAULT_FILTER,
                Duration.ofSeconds(5),
                ttl,
                Clock.systemUTC());
    }

    @TearDown
    public void stop() throws Exception {
        slapd.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public List<X509Certificate> ldapAnonymous() throws Exception {
        return anonymous.lookup("bob@example.test");
    }

    @Benchmark
    public List<X509Certificate> ldapSimpleBind() throws Exception {
        return bound.lookup("bob@example.test");
    }

    @Benchmark
    public List<X509Certificate> ldapsSimpleBindPrivateCa() throws Exception {
        return boundTls.lookup("bob@example.test");
    }

    @Benchmark
    public List<X509Certificate> cachedAnswer() throws Exception {
        return cached.lookup("bob@example.test");
    }
}
