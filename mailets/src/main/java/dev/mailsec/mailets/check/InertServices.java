package dev.mailsec.mailets.check;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.james.core.Domain;
import org.slf4j.LoggerFactory;

/**
 * Builds a pack class as James's Guice injector would, but with inert collaborators: every
 * interface an {@code @Inject} constructor asks for (DNS service, domain list, mail queue factory,
 * repository store, metrics, the mailet context) is a proxy that does nothing and answers empty
 * values, so {@code init()} runs its own validation without a running James, and nothing is sent,
 * queued, stored or looked up.
 */
final class InertServices {

    private InertServices() {}

    /**
     * An instance of {@code type}: through its {@code @Inject} constructor (inert arguments), else
     * its no-argument one.
     */
    static Object instantiate(Class<?> type) throws ReflectiveOperationException {
        Constructor<?> chosen = null;
        for (Constructor<?> constructor : type.getConstructors()) {
            if (isInject(constructor.getAnnotations())) {
                chosen = constructor;
                break;
            }
        }
        if (chosen == null) {
            chosen = type.getConstructor();
        }
        Class<?>[] parameters = chosen.getParameterTypes();
        Object[] arguments = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            if (!parameters[i].isInterface()) {
                throw new NoSuchMethodException(
                        type.getName()
                                + ": cannot check without James: its constructor needs a "
                                + parameters[i].getName());
            }
            arguments[i] = inert(parameters[i]);
        }
        return chosen.newInstance(arguments);
    }

    private static boolean isInject(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            String name = annotation.annotationType().getName();
            if (name.equals("javax.inject.Inject") || name.equals("com.google.inject.Inject")) {
                return true;
            }
        }
        return false;
    }

    /** A do-nothing implementation of {@code type}. */
    static <T> T inert(Class<T> type) {
        return type.cast(
                Proxy.newProxyInstance(
                        type.getClassLoader(), new Class<?>[] {type}, new Inert(type)));
    }

    private static final class Inert implements InvocationHandler {
        private final Class<?> type;

        Inert(Class<?> type) {
            this.type = type;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "toString":
                    return "inert " + type.getSimpleName() + " (mailsec check)";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return args != null && args.length == 1 && proxy == args[0];
                case "getLogger":
                    return LoggerFactory.getLogger("mailsec.check");
                default:
                    return empty(method.getReturnType());
            }
        }

        private static Object empty(Class<?> returned) {
            if (returned == void.class) {
                return null;
            }
            if (returned == boolean.class) {
                return false;
            }
            if (returned == char.class) {
                return '\0';
            }
            if (returned.isPrimitive()) {
                return returned == long.class
                        ? 0L
                        : returned == double.class
                                ? 0.0
                                : returned == float.class
                                        ? 0.0f
                                        : returned == short.class
                                                ? (short) 0
                                                : returned == byte.class ? (byte) 0 : 0;
            }
            if (returned == Domain.class) {
                return Domain.LOCALHOST;
            }
            if (returned == Optional.class) {
                return Optional.empty();
            }
            if (returned == Stream.class) {
                return Stream.empty();
            }
            if (returned == Iterator.class) {
                return Collections.emptyIterator();
            }
            if (returned.isAssignableFrom(List.class)) {
                return Collections.emptyList();
            }
            if (returned == Set.class) {
                return Collections.emptySet();
            }
            if (returned == Map.class) {
                return Collections.emptyMap();
            }
            if (returned.isInterface()) {
                return inert(returned);
            }
            return null;
        }
    }
}
