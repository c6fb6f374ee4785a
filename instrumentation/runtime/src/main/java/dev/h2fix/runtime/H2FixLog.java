package dev.h2fix.runtime;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * h2fix's log, through the JDK's {@link System.Logger} named {@code h2fix} (java.util.logging unless
 * the application routes System.Logger elsewhere). The {@code log} key (off|info|debug) filters on
 * top. Lines carry hosts, ports, counts and exception class names only: never headers, bodies or URLs.
 *
 * <p>Lines are written by {@link LogWriter} on h2fix's own thread, in order, never on the caller's:
 * a caller is often the thread that loads a library's first class, or a library's I/O thread.
 */
public final class H2FixLog {
  private static final Set<String> WARNED_ONCE = ConcurrentHashMap.newKeySet();

  private H2FixLog() {}

  public static void info(String message) {
    if (!"off".equals(level())) {
      log(Level.INFO, message);
    }
  }

  public static void debug(String message) {
    if (isDebug()) {
      log(Level.INFO, "[debug] " + message);
    }
  }

  public static boolean isDebug() {
    return "debug".equals(level());
  }

  public static void warn(String message) {
    if (!"off".equals(level())) {
      log(Level.WARNING, message);
    }
  }

  /**
   * For the agent, at premain: lines given until {@code nanoTime} ({@link System#nanoTime}) are
   * written after it, or at exit, when the JDK's default logging is in use (see LogWriter).
   */
  public static void holdUntil(long nanoTime) {
    LogWriter.holdUntil(nanoTime);
  }

  /** Logs {@code message} the first time {@code onceKey} is seen, never again. */
  public static void warnOnce(String onceKey, String message) {
    if (WARNED_ONCE.add(onceKey)) {
      warn(message);
    }
  }

  private static String level() {
    return H2FixRuntime.config().logLevel();
  }

  private static void log(Level level, String message) {
    LogWriter.offer(level, "h2fix: " + message);
  }
}
