package dev.mailsec.dkm.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: in the stock James distribution the pack and its PostgreSQL driver are loaded from
 * {@code extensions-jars}, by a class loader below the system one. {@link JdbcConnections} must
 * find the driver there; through {@link DriverManager} alone it got "No suitable driver", so no
 * node could use a PostgreSQL DKM or rights store. Reproduced here with the same arrangement: this
 * module's classes and the driver jar in a class loader of their own, while the system class
 * loader's copy of the driver is the one {@code DriverManager} registered.
 */
class JdbcConnectionsClassLoaderTest {

    @Test
    void aConnectionShouldReachTheServerWhenThePackIsInAnExtensionClassLoader() throws Exception {
        DriverManager.getDrivers(); // DriverManager registers the system class loader's driver
        URL classes = JdbcConnections.class.getProtectionDomain().getCodeSource().getLocation();
        URL driver =
                org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader extensions =
                new URLClassLoader(
                        new URL[] {classes, driver}, ClassLoader.getPlatformClassLoader())) {
            Class<?> connections = extensions.loadClass(JdbcConnections.class.getName());
            Class<?> failure = extensions.loadClass(JdbcConnections.Failure.class.getName());
            Object reportCause =
                    Proxy.newProxyInstance(
                            extensions,
                            new Class<?>[] {failure},
                            (proxy, method, args) -> {
                                throw new IllegalStateException(
                                        ((SQLException) args[1]).getMessage());
                            });
            Constructor<?> make =
                    connections.getDeclaredConstructor(String.class, int.class, failure);
            make.setAccessible(true);
            // nothing listens on port 1: the driver's own refusal is what a found driver says
            Object pool =
                    make.newInstance(
                            "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", 1, reportCause);
            Method borrow = connections.getDeclaredMethod("borrow");
            borrow.setAccessible(true);
            String message = null;
            try {
                borrow.invoke(pool);
            } catch (InvocationTargetException e) {
                message = e.getCause().getMessage();
            }
            assertThat(message)
                    .isNotNull()
                    .doesNotContain("No suitable driver")
                    .containsIgnoringCase("refused");
        }
    }
}
