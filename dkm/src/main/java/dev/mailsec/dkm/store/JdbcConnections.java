package dev.mailsec.dkm.store;

import dev.mailsec.dkm.DkmUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The {@link JdbcStorage}'s connections: a few kept idle for reuse, new ones opened with connect
 * and socket timeouts (a hung database becomes a temporary failure, not a hung mail thread), broken
 * ones discarded.
 */
final class JdbcConnections {
    /**
     * Turns a connection failure into the store's exception (which must not show the URL: it may
     * hold a password).
     */
    interface Failure {
        DkmUnavailableException of(String what, SQLException e);
    }

    private final String url;
    private final BlockingQueue<Connection> idle;
    private final Failure failure;

    JdbcConnections(String url, int size, Failure failure) {
        this.url = url;
        this.idle = new ArrayBlockingQueue<>(size);
        this.failure = failure;
    }

    Connection borrow() throws DkmUnavailableException {
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
            return DriverManager.getConnection(url, defaults);
        } catch (SQLException e) {
            throw failure.of("cannot connect", e);
        }
    }

    void release(Connection c) {
        if (!idle.offer(c)) {
            discard(c);
        }
    }

    void discard(Connection c) {
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
    void close() {
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
