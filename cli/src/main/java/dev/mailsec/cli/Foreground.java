package dev.mailsec.cli;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/** What the commands that serve in the foreground until Ctrl-C / SIGTERM share. */
public final class Foreground {
    private Foreground() {}

    /** The error (exit status 1) of a server that cannot bind {@code host:port}. */
    public static UserException cannotListen(String host, int port, IOException e) {
        return new UserException(
                "cannot listen on " + host + ":" + port + ": " + e.getMessage(), 1);
    }

    /**
     * Registers a shutdown hook (thread {@code threadName}) that runs {@code stop}, then counts the
     * returned latch down: the command awaits it to stay in the foreground until Ctrl-C / SIGTERM.
     */
    public static CountDownLatch stopOnShutdown(String threadName, Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stop.run();
                                    stopped.countDown();
                                },
                                threadName));
        return stopped;
    }
}
