package dev.h2fix.runtime;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.LogRecord;

/**
 * Writes a line h2fix held back for the start-up (see {@link LogWriter}) when the JVM exits first,
 * exactly as the JDK's default logging would have: a {@link ConsoleHandler} of its own, with the
 * default formatter, to standard error.
 *
 * <p>Why not through {@code System.Logger} at exit: java.util.logging's own shutdown hook, which
 * runs at the same time as h2fix's, closes the handlers, and the line would be lost (seen with a
 * 1 s hold-back and short OkHttp programs). A handler of h2fix's own is not among those it closes.
 * Used only when {@link #replicatesDefault} said so before holding anything back.
 */
final class ExitConsole {
  private static final String JUL_BACKEND = "sun.util.logging.internal.LoggingProviderImpl";

  private ExitConsole() {}

  /**
   * Whether a line written here looks the same and goes to the same place as through
   * {@code System.Logger}: the JDK's own back end, java.util.logging, with no configuration of the
   * application's (file, class or manager). Any other set-up is left alone: lines are not held back.
   */
  static boolean replicatesDefault() {
    try {
      if (System.getProperty("java.util.logging.config.file") != null
          || System.getProperty("java.util.logging.config.class") != null
          || System.getProperty("java.util.logging.manager") != null) {
        return false;
      }
      return JUL_BACKEND.equals(System.LoggerFinder.getLoggerFinder().getClass().getName());
    } catch (Throwable t) {
      return false; // no java.logging module, a security manager: not held back
    }
  }

  /** Writes one line; never throws. */
  static void write(Level level, String message, long epochMillis) {
    try {
      ConsoleHandler console = new ConsoleHandler();
      LogRecord record = new LogRecord(
          level == Level.WARNING ? java.util.logging.Level.WARNING : java.util.logging.Level.INFO, message);
      record.setLoggerName("h2fix");
      // What java.util.logging finds as the caller when the line goes through System.Logger.
      record.setSourceClassName(LogWriter.class.getName());
      record.setSourceMethodName("write");
      record.setInstant(Instant.ofEpochMilli(epochMillis));
      console.publish(record);
      console.flush();
    } catch (Throwable t) {
      // The JVM is exiting: nothing more can be done for this line.
    }
  }
}
