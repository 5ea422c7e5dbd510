package dev.mailsec.dkm.store;

import dev.mailsec.dkm.DkmUnavailableException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The {@link JdbcStorage}'s connections: a few kept idle for reuse, new ones opened with connect
 * and socket timeouts (a hung database becomes a temporary failure, not a hung mail thread), broken
 * ones discarded. The driver is looked up with this class's own class loader first: inside James
 * the pack's jars (and the PostgreSQL driver beside them in {@code extensions-jars/}) are loaded by
 * a child class loader that {@link DriverManager}, which registers drivers from the system class
 * loader, does not see ("No suitable driver found"). Public for core's other JDBC store (the DMARC
 * report counters), which opens its connections the same way.
 */
public final class JdbcConnections {
    /**
     * Turns a connection failure into the store's exception (which must not show the URL: it may
     * hold a password).
     */
    public interface Failure {
        DkmUnavailableException of(String what, SQLException e);
    }

    private final String url;
    private final BlockingQueue<Connection> idle;
    private final Failure failure;
    private volatile Driver driver;

    public JdbcConnections(String url, int size, Failure failure) {
        this.url = url;
        this.idle = new ArrayBlockingQueue<>(size);
        this.failure = failure;
    }

    public Connection borrow() throws DkmUnavailableException {
        Connection c = idle.poll();
        if (c != null) {
            return c;
        }
        try {
            // URL parameters win over these defaults
            Properties defaults = new Properties();
            defaults.setProperty("connectTimeout", "5");
            defaults.setProperty("socketTimeout", "30");
            defaults.setProperty("ApplicationName", "mailsec-dkm");
            Connection connection = driver().connect(url, defaults);
            if (connection == null) {
                throw new SQLException("the JDBC driver does not take this URL", "08001");
            }
            return connection;
        } catch (SQLException e) {
            throw failure.of("cannot connect", e);
        }
    }

    /** The driver for the URL: one our class loader provides, else one DriverManager knows. */
    private Driver driver() throws SQLException {
        Driver d = driver;
        if (d == null) {
            for (Driver candidate :
                    ServiceLoader.load(Driver.class, JdbcConnections.class.getClassLoader())) {
                if (candidate.acceptsURL(url)) {
                    d = candidate;
                    break;
                }
            }
            if (d == null) {
                d = DriverManager.getDriver(url);
            }
            driver = d;
        }
        return d;
    }

    public void release(Connection c) {
        if (!idle.offer(c)) {
            discard(c);
        }
    }

    public void discard(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            // closing it anyway; the server rolls back with the session
        }
        try {
            c.close();
        } catch (SQLException e) {
            // already broken
        }
    }

    /** Closes the idle connections. */
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
