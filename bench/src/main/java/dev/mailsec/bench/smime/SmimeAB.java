package dev.mailsec.bench.smime;

import dev.mailsec.bench.Messages;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two builds of the engine side by side in one JVM: each benchmarks jar in a class loader of its
 * own, the same S/MIME operations on the same messages, in alternating rounds, per CPU-second of
 * this thread. A before/after that one machine's drift and neighbours affect alike. Build the old
 * jar from an older commit (e.g. {@code git worktree add /tmp/old COMMIT}, then {@code mvn -q
 * -DskipTests package -pl bench -am} there).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.smime.SmimeAB OLD.jar NEW.jar [rounds]
 * </pre>
 */
public final class SmimeAB {

    private SmimeAB() {}

    /**
     * One build's {@code SmimeOps}, called by name: its methods' return types differ between
     * builds.
     */
    private static final class Build {
        final Object ops;
        final Class<?> encryption;

        Build(Path jar) throws Exception {
            URLClassLoader loader =
                    new URLClassLoader(
                            new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> pkiClass = Class.forName("dev.mailsec.bench.smime.BenchPki", true, loader);
            Constructor<?> pki = pkiClass.getDeclaredConstructor();
            pki.setAccessible(true);
            Constructor<?> ops =
                    Class.forName("dev.mailsec.bench.smime.SmimeOps", true, loader)
                            .getDeclaredConstructor(pkiClass);
            ops.setAccessible(true);
            this.ops = ops.newInstance(pki.newInstance());
            this.encryption = Class.forName("dev.mailsec.smime.ContentEncryption", true, loader);
        }

        Object call(String name, Object... args) throws Exception {
            for (Method m : ops.getClass().getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                    m.setAccessible(true);
                    return m.invoke(ops, args);
                }
            }
            throw new NoSuchMethodException(name);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        Object encryption(String name) {
            return Enum.valueOf((Class<? extends Enum>) encryption, name);
        }

        /** The bytes of a result, whether a build returns an array or a buffer. */
        static byte[] bytes(Object result) throws Exception {
            return result instanceof byte[]
                    ? (byte[]) result
                    : (byte[]) result.getClass().getMethod("toByteArray").invoke(result);
        }

        List<CpuClock.Op> ops(byte[] message) throws Exception {
            Object cbc = encryption("AES256_CBC");
            Object gcm = encryption("AES256_GCM");
            byte[] signed = bytes(call("sign", message));
            byte[] cbcMessage = bytes(call("encrypt", message, cbc));
            byte[] gcmMessage = bytes(call("encrypt", message, gcm));
            List<CpuClock.Op> list = new ArrayList<>();
            list.add(() -> call("sign", message));
            list.add(() -> call("encrypt", message, cbc));
            list.add(() -> call("encrypt", message, gcm));
            list.add(() -> call("decrypt", cbcMessage));
            list.add(() -> call("decrypt", gcmMessage));
            list.add(() -> call("verify", signed));
            return list;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SmimeAB OLD.jar NEW.jar [rounds]");
            System.exit(2);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        Build old = new Build(Path.of(args[0]));
        Build recent = new Build(Path.of(args[1]));
        String[] names = {
            "sign",
            "encrypt aes-256-cbc",
            "encrypt aes-256-gcm",
            "decrypt aes-256-cbc",
            "decrypt aes-256-gcm",
            "verify"
        };
        System.out.printf(
                Locale.ROOT,
                "%n## S/MIME old and new engine in one JVM (%s vs %s; %d alternating rounds of 1 s, us per message per CPU)%n",
                args[0],
                args[1],
                rounds);
        System.out.println("| operation | size | old us | new us | new speed / old |");
        System.out.println("|---|---|---|---|---|");
        for (int kb : new int[] {50, 1024}) {
            byte[] message = Messages.message(kb);
            List<CpuClock.Op> a = old.ops(message);
            List<CpuClock.Op> b = recent.ops(message);
            for (int i = 0; i < names.length; i++) {
                CpuClock.warm(a.get(i), 3);
                CpuClock.warm(b.get(i), 3);
                long[] ta = new long[2];
                long[] tb = new long[2];
                for (int r = 0; r < rounds; r++) {
                    CpuClock.measure(a.get(i), 1, ta);
                    CpuClock.measure(b.get(i), 1, tb);
                }
                double oldUs = ta[1] / 1e3 / ta[0];
                double newUs = tb[1] / 1e3 / tb[0];
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %s | %.0f | %.0f | %.2fx |%n",
                        names[i],
                        Messages.label(kb),
                        oldUs,
                        newUs,
                        oldUs / newUs);
            }
        }
    }
}
