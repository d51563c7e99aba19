package io.sparknn.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects every ERROR (or worse) line logged through log4j, from any logger and thread (Spark's cleaner and
 * scheduler threads included), while it is attached: a successful run must not log any.
 */
public final class ErrorLines extends AbstractAppender implements AutoCloseable {
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  private ErrorLines() {
    super("sparknn-error-lines", null, null, true, Property.EMPTY_ARRAY);
  }

  /** Starts collecting on the root logger. */
  public static ErrorLines attach() {
    ErrorLines a = new ErrorLines();
    a.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    config.getRootLogger().addAppender(a, Level.ERROR, null);
    ctx.updateLoggers();
    return a;
  }

  @Override
  public void append(LogEvent event) {
    if (event.getLevel().isMoreSpecificThan(Level.ERROR)) {
      Throwable t = event.getThrown();
      lines.add(event.getLoggerName() + ": " + event.getMessage().getFormattedMessage()
          + (t == null ? "" : " (" + t + ")"));
    }
  }

  public List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().removeAppender(getName());
    ctx.updateLoggers();
    stop();
  }
}
