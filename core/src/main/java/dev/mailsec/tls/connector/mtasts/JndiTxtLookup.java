package dev.mailsec.tls.connector.mtasts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/** TXT records through the JDK's DNS provider (no DNS library needed by the command line). */
public final class JndiTxtLookup implements MtaStsResolver.TxtLookup {

    private final Optional<String> server;

    /**
     * @param server {@code host[:port]} of the DNS server, or empty for the system's resolvers
     */
    public JndiTxtLookup(Optional<String> server) {
        this.server = server;
    }

    @Override
    public List<String> txt(String name) throws IOException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://" + server.orElse("") + "/");
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        try {
            DirContext context = new InitialDirContext(env);
            try {
                Attribute records = context.getAttributes(name, new String[] {"TXT"}).get("TXT");
                if (records == null) {
                    return Collections.emptyList();
                }
                List<String> texts = new ArrayList<>();
                NamingEnumeration<?> values = records.getAll();
                while (values.hasMore()) {
                    texts.add(joinStrings(values.next().toString()));
                }
                return texts;
            } finally {
                context.close();
            }
        } catch (NameNotFoundException noSuchName) {
            return Collections.emptyList();
        } catch (NamingException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * JNDI hands a TXT record of several strings back as one text, quoting strings that contain
     * blanks: {@code "v=STSv1; " "id=1;"}. RFC 8461 reads the strings joined without separators.
     */
    public static String joinStrings(String jndi) {
        String text = jndi.trim();
        if (!text.startsWith("\"")) {
            return text;
        }
        StringBuilder joined = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                joined.append(text.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (quoted || c != ' ') {
                joined.append(c);
            }
        }
        return joined.toString();
    }
}
