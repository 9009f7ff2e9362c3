package io.squall.core.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records what one logger logs while it is open, and keeps those events off the console (an expected stack
 * trace is not noise worth reading). Use with try-with-resources. Needs logback-classic on the test classpath.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final boolean wasAdditive;
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    private LogCapture(Class<?> loggerOf) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerOf);
        this.wasAdditive = logger.isAdditive();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
    }

    /** Starts capturing the logger named after {@code loggerOf}. */
    public static LogCapture of(Class<?> loggerOf) {
        return new LogCapture(loggerOf);
    }

    /** Everything logged so far, in order. Safe to read from any thread. */
    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /** The events at {@code level}. */
    public List<ILoggingEvent> at(Level level) {
        return events.stream().filter(event -> event.getLevel() == level).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setAdditive(wasAdditive);
        appender.stop();
    }
}
