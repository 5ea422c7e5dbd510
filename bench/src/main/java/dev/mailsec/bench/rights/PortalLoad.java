package dev.mailsec.bench.rights;

import dev.mailsec.bench.Messages;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.portal.Portal;
import dev.mailsec.portal.RightsPortalEngine;
import dev.mailsec.rights.DkmRightsKeyring;
import dev.mailsec.rights.PasscodeKeys;
import dev.mailsec.rights.RightsProtector;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.rights.RightsStore;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time to first byte of an authenticated message view in the rights portal ({@code GET /m/ID/view}:
 * cookie check, licence signature check, revocation/expiry lookup, JWE decryption, access-log
 * write, MIME parse, sanitising, page) under N concurrent readers, each a closed loop over its own
 * keep-alive connection from a loopback address of its own (127.0.0.2, .3, ...: the portal limits
 * the requests one client IP has in service at once to 8).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.rights.PortalLoad [--readers 1,8,32] [--seconds 15]
 *     [--warmup 5] [--kb 50] [--store jdbc:postgresql://127.0.0.1:5432/test?user=postgres] [--page view|landing]
 * </pre>
 *
 * The portal runs in this JVM with its production wiring (DKM file store, identity rights-portal,
 * the rights store given, default file), on loopback. {@code --page landing} measures the landing
 * page without a session instead (licence signature and revocation check, no decryption, no
 * access-log write), which isolates the cost of opening; the load generator shares the CPU with it,
 * as a reverse proxy would.
 */
public final class PortalLoad {

    private static final String READER = "carol@external.test";

    public static void main(String[] args) throws Exception {
        List<Integer> readers = List.of(1, 8, 32);
        int seconds = 15;
        int warmup = 5;
        int kb = 50;
        String storeUrl = null;
        String page = "view";
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--readers":
                    readers = new ArrayList<>();
                    for (String r : args[i + 1].split(",")) {
                        readers.add(Integer.parseInt(r.trim()));
                    }
                    break;
                case "--seconds":
                    seconds = Integer.parseInt(args[i + 1]);
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(args[i + 1]);
                    break;
                case "--kb":
                    kb = Integer.parseInt(args[i + 1]);
                    break;
                case "--store":
                    storeUrl = args[i + 1];
                    break;
                case "--page":
                    page = args[i + 1];
                    if (!page.equals("view") && !page.equals("landing")) {
                        throw new IllegalArgumentException("--page: view or landing, got " + page);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("mailsec-portal-load-");
        // dir is this run's James home: relative paths below resolve against it (docs/paths.md)
        System.setProperty("working.directory", dir.toString());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        FileStorage storage = FileStorage.create(dir.resolve("dkm-data"));
        KeyManager admin =
                KeyManager.init(
                        storage,
                        new FileRootKeys(dir.resolve("root-keys")),
                        "admin",
                        dir.resolve("credentials/admin.cred"),
                        Clock.systemUTC());
        admin.createIdentity(
                "rights-portal",
                IdentityType.SERVICE,
                false,
                dir.resolve("credentials/rights-portal.cred"));
        admin.createGroup("rights");
        admin.addMember("rights", "rights-portal");
        Files.writeString(
                dir.resolve("dkm.properties"),
                "store=file:dkm-data\nidentity=credentials/rights-portal.cred\ncacheTtl=PT5M\n");
        String store =
                storeUrl == null
                        ? "<store url=\"file:rights-state\"/>"
                        : "<store url=\""
                                + storeUrl.replace("&", "&amp;")
                                + "\" schema=\"mailsec_rights_bench_"
                                + System.nanoTime() % 100000
                                + "\"/>";
        Files.writeString(
                dir.resolve("rights.xml"),
                "<rights><issuer>mailsec.test</issuer>"
                        + "<organisationDomains>mailsec.test</organisationDomains>"
                        + "<portal url=\"http://127.0.0.1:"
                        + port
                        + "\" bind=\"127.0.0.1\" port=\""
                        + port
                        + "\" smtpHost=\"127.0.0.1\""
                        + " smtpPort=\"9\" perAddressPerHour=\"1000\"/>"
                        + store
                        + "<dkm config=\"dkm.properties\"/>"
                        + "<subject mode=\"keep\"/></rights>");
        RightsSettings settings = RightsSettings.load(dir.resolve("rights.xml"));
        DkmRightsKeyring.createSecrets(admin, settings, "rights");

        String id;
        try (Dkm dkm = Dkm.open(settings.dkmConfig());
                RightsStore rs = RightsStore.open(settings)) {
            id =
                    new RightsProtector(
                                    settings,
                                    new DkmRightsKeyring(dkm, settings),
                                    rs,
                                    Clock.systemUTC())
                            .protect(
                                    Messages.message(kb),
                                    "alice@mailsec.test",
                                    List.of(READER),
                                    settings.template("encrypt-only"))
                            .licence()
                            .licenceId();
        }
        RightsPortalEngine engine = RightsPortalEngine.open(settings);
        Portal portal = Portal.start(RightsPortalEngine.config(settings), engine);
        String base = "http://127.0.0.1:" + port + "/m/" + id;
        try (Dkm dkm = Dkm.open(settings.dkmConfig());
                RightsStore rs = RightsStore.open(settings)) {
            String cookie =
                    signIn(
                            base,
                            rs,
                            settings,
                            PasscodeKeys.of(new DkmRightsKeyring(dkm, settings)));
            String url = page.equals("view") ? base + "/view" : base;
            String sessionCookie = page.equals("view") ? cookie : null;
            System.out.printf(
                    Locale.ROOT,
                    "# portal TTFB, GET %s of a %d KB message, JDK %s, %d CPUs, store %s%n",
                    page.equals("view") ? "/m/ID/view" : "/m/ID (landing, no session)",
                    kb,
                    System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(),
                    storeUrl == null ? "file" : "postgresql");
            System.out.println(
                    "| readers | requests | req/s | TTFB p50 ms | TTFB p99 ms | mean ms |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            for (int n : readers) {
                run(url, sessionCookie, n, warmup, false);
                run(url, sessionCookie, n, seconds, true);
            }
        } finally {
            portal.close();
            engine.close();
            admin.close();
            storage.close();
        }
    }

    /**
     * Signs in as the reader the way a browser does; the passcode is taken from the store, not from
     * mail.
     */
    static String signIn(String base, RightsStore rs, RightsSettings settings, PasscodeKeys keys)
            throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient http =
                HttpClient.newBuilder()
                        .cookieHandler(cookies)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        String landing =
                http.send(
                                HttpRequest.newBuilder(URI.create(base)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        post(
                http,
                base + "/passcode",
                "csrf="
                        + csrf(landing)
                        + "&address="
                        + URLEncoder.encode(READER, StandardCharsets.UTF_8));
        // a fresh code replaces the mailed one (the bench has no mailbox)
        String code =
                rs.issuePasscode(
                                base.substring(base.lastIndexOf('/') + 1),
                                READER,
                                "bench",
                                Instant.now(),
                                settings.portal(),
                                keys)
                        .code();
        String page =
                http.send(
                                HttpRequest.newBuilder(URI.create(base + "/code")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        HttpResponse<String> r = post(http, base + "/code", "csrf=" + csrf(page) + "&code=" + code);
        if (r.statusCode() != 303) {
            throw new IllegalStateException("sign-in failed: " + r.statusCode());
        }
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            if (c.getName().equals("mailsec_session")) {
                return c.getName() + "=" + c.getValue();
            }
        }
        throw new IllegalStateException("no session cookie");
    }

    static HttpResponse<String> post(HttpClient http, String url, String form) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        if (!m.find()) {
            throw new IllegalStateException("no csrf token");
        }
        return m.group(1);
    }

    static void run(String url, String cookie, int readers, int seconds, boolean report)
            throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perThread = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(readers);
        URI target = URI.create(url);
        for (int t = 0; t < readers; t++) {
            // reader t comes from 127.0.0.(2 + t): one client IP per reader, as readers on the
            // Internet are, so the portal's per-IP limit (8 requests in service) does not turn a
            // closed loop of 32 readers into 429s
            InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + t)});
            Thread th =
                    new Thread(
                            () -> {
                                long[] ttfb = new long[1 << 16];
                                int count = 0;
                                PortalReader reader = new PortalReader(target, cookie, from);
                                try {
                                    while (System.nanoTime() < end) {
                                        long start = System.nanoTime();
                                        long first = reader.get();
                                        if (first < 0) {
                                            failures.incrementAndGet();
                                            continue;
                                        }
                                        if (count == ttfb.length) {
                                            ttfb = Arrays.copyOf(ttfb, count * 2);
                                        }
                                        ttfb[count++] = first - start;
                                    }
                                } catch (Exception e) {
                                    failures.incrementAndGet();
                                } finally {
                                    reader.close();
                                    perThread.add(Arrays.copyOf(ttfb, count));
                                    done.countDown();
                                }
                            },
                            "reader-" + t);
            th.start();
        }
        done.await();
        if (!report) {
            return;
        }
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double mean = Arrays.stream(all).average().orElse(0) / 1e6;
        System.out.printf(
                Locale.ROOT,
                "| %d | %d | %.0f | %.2f | %.2f | %.2f |%s%n",
                readers,
                all.length,
                all.length / (double) seconds,
                pct(all, 0.50),
                pct(all, 0.99),
                mean,
                failures.get() == 0 ? "" : " (" + failures.get() + " failed)");
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
