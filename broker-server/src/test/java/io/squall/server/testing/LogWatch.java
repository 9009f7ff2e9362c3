package io.squall.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records every event at {@code level} or above that reaches the root logger (Squall's, Undertow's, XNIO's) while
 * it is open; events still go to the console too. Use with try-with-resources or open/close around a test.
 */
public final class LogWatch implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level level;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(level)) {
                events.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName()
                        + ": " + event.getThrowableProxy().getMessage()));
            }
        }
    };

    private LogWatch(Level level) {
        this.level = level;
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
    }

    /** Starts recording ERROR events. */
    public static LogWatch errors() {
        return new LogWatch(Level.ERROR);
    }

    /** Starts recording WARN and ERROR events. */
    public static LogWatch warnings() {
        return new LogWatch(Level.WARN);
    }

    /** What was recorded so far, one line per event. */
    public List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
