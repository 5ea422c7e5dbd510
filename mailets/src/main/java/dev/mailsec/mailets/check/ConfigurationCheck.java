package dev.mailsec.mailets.check;

import dev.mailsec.config.PackPaths;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.tls.connector.ConnectorRoutes;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.mailetcontainer.impl.MailetConfigImpl;
import org.apache.james.mailetcontainer.impl.MatcherConfigImpl;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetContext;
import org.apache.mailet.Matcher;

/**
 * The pipeline part of {@code mailsec check}: reads a James home's {@code conf/mailetcontainer.xml}
 * and {@code conf/smtpserver.xml} with James's own reader, and for every mailet, matcher and SMTP
 * hook of the pack (classes in {@code dev.mailsec.}) does what James does at start: builds the
 * instance, gives it the configuration James would ({@code MailetConfigImpl}, {@code
 * MatcherConfigImpl}, the handler's configuration), calls {@code init}, then {@code destroy}.
 * Collaborators are inert ({@link InertServices}): nothing is sent or stored. Then every connectors
 * file the pack reads is checked to be enforced ({@link ConnectorRoutes}).
 *
 * <p>Runs in a class loader over James's library folder and {@code extensions-jars/}, as James
 * loads the pack; the command line calls it by reflection with JDK types only. Relative paths
 * resolve against the James home ({@code working.directory} is set to it while checking). Each
 * result is one line: {@code ok WHAT}, {@code error WHAT: MESSAGE}.
 */
public final class ConfigurationCheck {

    static final String PACK = "dev.mailsec.";
    private static final String HOOK_INIT = "init";

    private final Path home;
    private final Consumer<String> lines;
    private final List<Map<String, String>> mailets = new ArrayList<>();
    private final Set<String> connectorFiles = new LinkedHashSet<>();
    private final Set<String> processors = new LinkedHashSet<>();
    private final MailetContext context = InertServices.inert(MailetContext.class);

    private ConfigurationCheck(Path home, Consumer<String> lines) {
        this.home = home;
        this.lines = lines;
    }

    /**
     * Checks the pack's mailets, matchers and hooks of the James at {@code jamesHome}.
     *
     * @param packMailets receives the pack's mailets of {@code conf/mailetcontainer.xml}, in order,
     *     each as its init parameters (as James passes them) plus {@code class} and {@code
     *     processor}: what the command line needs to find the secrets, keys and files the
     *     configuration references
     * @param lines receives one line per check as soon as it is done
     */
    public static void run(
            Path jamesHome, List<Map<String, String>> packMailets, Consumer<String> lines) {
        ConfigurationCheck check =
                new ConfigurationCheck(jamesHome.toAbsolutePath().normalize(), lines);
        String previous = System.getProperty("working.directory");
        System.setProperty("working.directory", check.home.toString());
        // validating only: a rolloverConfig must not rotate keys from the checking process
        DkmClients.validateRolloverOnly(true);
        try {
            check.pipeline();
            check.hooks();
            check.connectors();
        } finally {
            DkmClients.closeAll();
            DkmClients.validateRolloverOnly(false);
            if (previous == null) {
                System.clearProperty("working.directory");
            } else {
                System.setProperty("working.directory", previous);
            }
        }
        packMailets.addAll(check.mailets);
    }

    private void pipeline() {
        HierarchicalConfiguration<ImmutableNode> container = read("mailetcontainer.xml");
        if (container == null) {
            return;
        }
        for (HierarchicalConfiguration<ImmutableNode> processor :
                container.configurationsAt("processors.processor")) {
            processors.add(processor.getString("[@state]", "?"));
        }
        for (HierarchicalConfiguration<ImmutableNode> processor :
                container.configurationsAt("processors.processor")) {
            String state = processor.getString("[@state]", "?");
            Map<String, Integer> seen = new HashMap<>();
            for (HierarchicalConfiguration<ImmutableNode> matcher :
                    processor.configurationsAt("matcher")) {
                matchers(state, matcher);
            }
            for (HierarchicalConfiguration<ImmutableNode> mailet :
                    processor.configurationsAt("mailet")) {
                matcher(state, mailet.getString("[@match]", null));
                matcher(state, mailet.getString("[@notmatch]", null));
                String className = mailet.getString("[@class]", "").trim();
                if (className.startsWith(PACK)) {
                    String where = state + "/" + numbered(simpleName(className), seen);
                    mailet(where, className, mailet);
                }
            }
        }
    }

    /** A named (composite) matcher and the matchers nested in it. */
    private void matchers(String state, HierarchicalConfiguration<ImmutableNode> matcher) {
        matcher(state, matcher.getString("[@match]", null));
        for (HierarchicalConfiguration<ImmutableNode> nested :
                matcher.configurationsAt("matcher")) {
            matchers(state, nested);
        }
    }

    private void matcher(String state, String match) {
        if (match == null || !match.trim().startsWith(PACK)) {
            return;
        }
        String trimmed = match.trim();
        int equals = trimmed.indexOf('=');
        String className = equals < 0 ? trimmed : trimmed.substring(0, equals);
        String condition = equals < 0 ? null : trimmed.substring(equals + 1);
        String what =
                "matcher "
                        + state
                        + "/"
                        + simpleName(className)
                        + (condition == null ? "" : "=" + condition);
        try {
            Matcher matcher = (Matcher) InertServices.instantiate(load(className));
            MatcherConfigImpl config = new MatcherConfigImpl();
            config.setMatcherName(className);
            config.setCondition(condition);
            config.setMailetContext(context);
            matcher.init(config);
            matcher.destroy();
            ok(what);
        } catch (Exception | LinkageError e) {
            error(what, e);
        }
    }

    private void mailet(
            String where, String className, HierarchicalConfiguration<ImmutableNode> element) {
        String what = "mailet " + where;
        MailetConfigImpl config = new MailetConfigImpl();
        config.setMailetName(className);
        config.setConfiguration(element);
        config.setMailetContext(context);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Iterator<String> names = config.getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            parameters.put(name, config.getInitParameter(name));
        }
        parameters.put("class", className);
        parameters.put("processor", where.substring(0, where.indexOf('/')));
        mailets.add(parameters);
        String connectors = parameters.get("connectors");
        if (connectors != null) {
            connectorFiles.add(connectors.trim());
        } else if (className.endsWith(".ConnectorsRemoteDelivery")) {
            connectorFiles.add("file://conf/connectors.xml");
        }
        try {
            Mailet mailet = (Mailet) InertServices.instantiate(load(className));
            mailet.init(config);
            List<String> missing = missingProcessors(mailet, config);
            mailet.destroy();
            if (missing.isEmpty()) {
                ok(what);
            } else {
                lines.accept(
                        "error "
                                + what
                                + ": it sends mail to processor(s) "
                                + String.join(", ", missing)
                                + ", which conf/mailetcontainer.xml does not define, so James would refuse to start");
            }
        } catch (Exception | LinkageError e) {
            error(what, e);
        }
    }

    private void hooks() {
        HierarchicalConfiguration<ImmutableNode> servers = read("smtpserver.xml");
        if (servers == null) {
            return;
        }
        int index = 0;
        for (HierarchicalConfiguration<ImmutableNode> server :
                servers.configurationsAt("smtpserver")) {
            index++;
            if (!server.getBoolean("[@enabled]", true)) {
                continue;
            }
            String name =
                    server.getString("jmxName", server.getString("bind", "smtpserver#" + index))
                            .trim();
            for (HierarchicalConfiguration<ImmutableNode> handler :
                    server.configurationsAt("handlerchain.handler")) {
                String className = handler.getString("[@class]", "").trim();
                if (!className.startsWith(PACK)) {
                    continue;
                }
                String connectors = handler.getString("connectors", null);
                if (connectors != null) {
                    connectorFiles.add(connectors.trim());
                }
                String what = "hook " + name + "/" + simpleName(className);
                try {
                    Object hook = InertServices.instantiate(load(className));
                    Method init = hook.getClass().getMethod(HOOK_INIT, Configuration.class);
                    init.invoke(hook, handler);
                    hook.getClass().getMethod("destroy").invoke(hook);
                    ok(what);
                } catch (InvocationTargetException e) {
                    error(what, e.getCause());
                } catch (Exception | LinkageError e) {
                    error(what, e);
                }
            }
        }
    }

    /**
     * The processors a mailet sends mail to that the configuration lacks, as James checks them at
     * start: those of {@code requiredProcessingState()} and of {@code onMailetException}/{@code
     * onMatchException} (which James 3.8.1 checks as {@code onMatcherException}).
     */
    private List<String> missingProcessors(Mailet mailet, MailetConfigImpl config) {
        Set<String> required = new LinkedHashSet<>();
        mailet.requiredProcessingState().forEach(state -> required.add(state.getValue()));
        for (String parameter :
                List.of("onMailetException", "onMatchException", "onMatcherException")) {
            String value = config.getInitParameter(parameter);
            if (value != null
                    && !value.trim().equals("propagate")
                    && !value.trim().equals("ignore")) {
                required.add(value.trim());
            }
        }
        List<String> missing = new ArrayList<>();
        for (String state : required) {
            if (!processors.contains(state)) {
                missing.add("'" + state + "'");
            }
        }
        return missing;
    }

    /**
     * Every connectors file the pack reads: each connector's policy must be enforced by this
     * configuration.
     */
    private void connectors() {
        for (String location : connectorFiles) {
            String what = "connectors " + location;
            Path file = PackPaths.resolve(home, location);
            Connectors connectors;
            try {
                connectors = ConnectorsFile.load(file);
            } catch (InvalidConnectorsException e) {
                error(what, e);
                continue;
            }
            List<String> problems = ConnectorRoutes.problems(connectors, file, home);
            if (problems.isEmpty()) {
                ok(
                        what
                                + ": every connector's policy is enforced ("
                                + connectors.inbound().size()
                                + " inbound, "
                                + connectors.outbound().size()
                                + " outbound)");
            }
            for (String problem : problems) {
                lines.accept("error " + what + ": " + problem);
            }
        }
    }

    /**
     * James's configuration file {@code conf/NAME} as James reads it; null (and an error line) if
     * it cannot be.
     */
    private HierarchicalConfiguration<ImmutableNode> read(String name) {
        Path file = home.resolve("conf").resolve(name);
        try (InputStream in = Files.newInputStream(file)) {
            XMLConfiguration configuration = FileConfigurationProvider.getConfig(in);
            ok("read conf/" + name);
            return configuration;
        } catch (NoSuchFileException e) {
            lines.accept("error read conf/" + name + ": no such file: " + file);
        } catch (IOException | ConfigurationException e) {
            error("read conf/" + name, e);
        }
        return null;
    }

    private static Class<?> load(String className) throws ClassNotFoundException {
        try {
            return Class.forName(className, false, ConfigurationCheck.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException(
                    "no class "
                            + className
                            + " in extensions-jars/ (misspelt, or from "
                            + "another version of the pack?)",
                    e);
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** {@code Name}, or {@code Name#2} for the second of its kind in the same processor. */
    private static String numbered(String name, Map<String, Integer> seen) {
        int n = seen.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "#" + n;
    }

    private void ok(String what) {
        lines.accept("ok " + what);
    }

    private void error(String what, Throwable e) {
        lines.accept("error " + what + ": " + message(e));
    }

    /** The exception's message, or its cause's when it has none (never a stack trace). */
    static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage().replace('\n', ' ') : t.getClass().getName();
    }
}
