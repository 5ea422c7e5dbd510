package dev.mailsec.bench.rights;

import dev.mailsec.bench.Messages;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.dkm.store.JdbcStorage;
import dev.mailsec.rights.Channel;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.OpenedMessage;
import dev.mailsec.rights.Protection;
import dev.mailsec.rights.RightsOpener;
import dev.mailsec.rights.RightsProtector;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import dev.mailsec.rights.RightsTemplate;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Rights protection throughput, single thread: {@code protect} (encrypt the whole message as JWE,
 * sign the ES256 licence, record licence + package, build and serialise the wrapper) and {@code
 * open} (verify the licence and its binding, check revocation in the store, decrypt, log the
 * access). Keys come from a real DKM file store through the cached {@link Dkm} client. Store
 * backends: {@code memory} (the engine alone), {@code file} and {@code postgresql} (127.0.0.1:5432,
 * database test, a throw-away schema).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RightsBench {
    static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Param({"50", "1024"})
    public int kb;

    @Param({"memory", "file", "postgresql"})
    public String store;

    private Path dir;
    private String schema;
    private FileStorage dkmStorage;
    private KeyManager admin;
    private Dkm dkm;
    private RightsStore rights;
    private MemoryStorage memory;
    private RightsProtector protector;
    private RightsOpener opener;
    private RightsTemplate template;
    private MimeMessage message;
    private Protection sample;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("rights-bench");
        // dir is this benchmark's James home: relative paths below resolve against it
        // (docs/paths.md)
        System.setProperty("working.directory", dir.toString());
        dkmStorage = FileStorage.create(dir.resolve("dkm-data"));
        admin =
                KeyManager.init(
                        dkmStorage,
                        new FileRootKeys(dir.resolve("root-keys")),
                        "admin",
                        dir.resolve("admin.cred"),
                        Clock.systemUTC());
        admin.createIdentity("james", IdentityType.SERVICE, false, dir.resolve("james.cred"));
        admin.createGroup("rights");
        admin.addMember("rights", "james");
        Files.write(
                dir.resolve("rights.xml"),
                "<rights><issuer>mailsec.test</issuer><store url=\"file:rights\"/></rights>"
                        .getBytes(StandardCharsets.UTF_8));
        RightsSettings settings = RightsSettings.load(dir.resolve("rights.xml"));
        DkmRightsKeyring.createSecrets(admin, settings, "rights");
        Files.write(
                dir.resolve("dkm.properties"),
                "store=file:dkm-data\nidentity=james.cred\ncacheTtl=PT1H\n"
                        .getBytes(StandardCharsets.UTF_8));
        dkm = Dkm.open(DkmConfig.load(dir.resolve("dkm.properties")), Clock.systemUTC());
        schema = "rights_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        switch (store) {
            case "memory":
                memory = new MemoryStorage();
                rights = new RightsStore(memory);
                break;
            case "file":
                rights = new RightsStore(FileStorage.create(dir.resolve("rights")));
                break;
            default:
                rights = new RightsStore(JdbcStorage.open(PG_URL, schema));
        }
        DkmRightsKeyring keys = new DkmRightsKeyring(dkm, settings);
        protector = new RightsProtector(settings, keys, rights, Clock.systemUTC());
        opener = new RightsOpener(settings, keys, rights, Clock.systemUTC());
        template = settings.template("do-not-forward");
        message =
                new MimeMessage(
                        Session.getInstance(new Properties()),
                        new ByteArrayInputStream(Messages.message(kb)));
        sample = protect();
    }

    @TearDown(Level.Iteration)
    public void forgetProtected() {
        if (memory != null) {
            memory.retain(sample.licence().licenceId());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        rights.close();
        dkm.close();
        admin.close();
        dkmStorage.close();
        if ("postgresql".equals(store)) {
            try (Connection c = DriverManager.getConnection(PG_URL);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private long counter;

    private Protection protect() throws Exception {
        // a Message-ID per message, as in real traffic (one Message-ID's licence list stays short)
        message.setHeader("Message-ID", "<bench-" + kb + "-" + (counter++) + "@mailsec.test>");
        return protector.protect(
                message, "alice@mailsec.test", List.of("carol@external.test"), template);
    }

    /** Protect one message and serialise the wrapper, as the mailet hands it on. */
    @Benchmark
    public long protect_message() throws Exception {
        Protection p = protect();
        CountingStream out = new CountingStream();
        p.wrapper().writeTo(out);
        return out.count;
    }

    /**
     * Open the same protected message for a recipient (verify, revocation check, decrypt, access
     * log).
     */
    @Benchmark
    public OpenedMessage open_message() throws Exception {
        return opener.open(sample.pkg(), "carol@external.test", Channel.TRANSPORT, "bench");
    }

    static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
