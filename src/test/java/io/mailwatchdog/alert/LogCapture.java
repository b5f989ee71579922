package io.mailwatchdog.alert;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Everything the alert package logs, DEBUG included, while open. */
final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.mailwatchdog.alert");
    private final Level before = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    /** Each event as "LEVEL message", with its exception's messages, if any. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        synchronized (appender.list) {
            for (ILoggingEvent e : List.copyOf(appender.list)) {
                StringBuilder b = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    List<String> errors() {
        return lines().stream().filter(l -> l.startsWith("ERROR ")).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(before);
    }
}
