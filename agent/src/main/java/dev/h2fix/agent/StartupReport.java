package dev.h2fix.agent;

import dev.h2fix.runtime.H2FixConfig;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.StatsMBean;
import dev.h2fix.tooling.H2FixTransformer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The start-up line and the background work of start-up. The line is given to h2fix's log at once
 * (written on h2fix's own thread, {@link #LOG_HOLD_MS} later with the JDK's default logging, see
 * dev.h2fix.runtime.LogWriter, whose exit hook writes it if the JVM exits sooner). The work runs on
 * the daemon thread h2fix-init: the transformer's warm-up
 * (Byte Buddy, when a supported library is on the class path, see {@link H2FixTransformer#prewarm}),
 * then the JMX registration. Both are slow the first time (Byte Buddy a few hundred ms, the platform
 * MBean server 60-350 ms, measured on this project's 2-core machines), so neither runs on the
 * application's main thread.
 *
 * <p>The MBean is registered {@link #JMX_DELAY_MS} after premain, not at once: creating the platform
 * MBean server (when the application has not) competes with the application's own start-up for
 * the CPU (measured: about 60 ms more to a first HTTP/2 response on 2 cores), and nothing reads
 * h2fix's counters in a JVM's first seconds. A JVM that exits before then registers nothing.
 */
final class StartupReport {
  static final long JMX_DELAY_MS = 2_000;
  /**
   * How long after premain h2fix's lines are held back when the JDK's default logging is in use
   * (dev.h2fix.runtime.LogWriter): its first line costs about 50 ms of CPU, time-zone and locale
   * data and their compilation, which the application's start-up had to share (measured:
   * 20-40 ms more to a first HTTP/2 response on 2 cores). A JVM that exits sooner writes them at exit.
   */
  static final long LOG_HOLD_MS = 2_000;

  private final String line;
  private final H2FixConfig config;
  private final H2FixTransformer transformer;
  /** Counted down by the shutdown hook. */
  private final CountDownLatch exit = new CountDownLatch(1);
  private final long startNanos;
  private final Runnable late;
  /** Set by the shutdown hook: the JVM is exiting. */
  private volatile boolean exiting;

  /** @param late work to do on the background thread after the warm-up, or null */
  StartupReport(String line, H2FixConfig config, H2FixTransformer transformer, Runnable late, long startNanos) {
    this.startNanos = startNanos;
    this.line = line;
    this.config = config;
    this.transformer = transformer;
    this.late = late;
  }

  void start() {
    H2FixLog.info(line);
    // Named Runnables, not lambdas: the first lambda in a JVM costs milliseconds of bootstrap.
    Thread init = new Thread(new Background(), "h2fix-init");
    init.setDaemon(true);
    init.setPriority(Thread.MIN_PRIORITY);
    Runtime.getRuntime().addShutdownHook(new Thread(new AtExit(), "h2fix-exit"));
    init.start();
  }

  private void runInBackground() {
    transformer.prewarm();
    if (late != null) {
      try {
        late.run();
      } catch (Throwable t) {
        // While the JVM exits (a short-lived program) the loaded-class walk can fail: nothing is
        // left to patch then, and a warning would only alarm.
        if (!exiting) {
          H2FixLog.warn("late patching failed: " + t.getClass().getName());
        }
      }
    }
    if (!config.jmx() || exitsWithin(JMX_DELAY_MS - (System.nanoTime() - startNanos) / 1_000_000)) {
      StatsMBean.registrationSkipped();
      return;
    }
    try {
      StatsMBean.register();
    } catch (Throwable t) {
      StatsMBean.registrationSkipped();
      H2FixLog.warn("JMX MBean " + StatsMBean.OBJECT_NAME + " not registered: " + t.getClass().getName());
    }
  }

  /** Waits up to {@code ms} for the JVM to begin exiting; true if it did (or the wait was interrupted). */
  private boolean exitsWithin(long ms) {
    try {
      return ms > 0 && exit.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void onExit() {
    exiting = true;
    exit.countDown();
  }

  private final class Background implements Runnable {
    @Override
    public void run() {
      runInBackground();
    }
  }

  private final class AtExit implements Runnable {
    @Override
    public void run() {
      onExit();
    }
  }
}
