package dev.h2fix.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes h2fix's lines on its own short-lived daemon thread, h2fix-log, in the order they were
 * given; a shutdown hook writes what is left when the JVM exits.
 *
 * <p>Why not on the caller's thread: h2fix logs from the thread that loads a library's first
 * class (the "patched" line) and from library threads, and a System.Logger call costs that thread
 * milliseconds (measured: 9-14 ms for the "patched" line on OkHttp's first call, with the logging
 * back end already initialised; the back end's first use costs about 50 ms of a core more). Giving
 * a line never blocks: it is queued, and a thread is started when none is draining.
 *
 * <p>At premain the lines are held back until start-up is over ({@link #holdUntil}, 2 s), when
 * {@code System.Logger} is the JDK's default, java.util.logging with its default configuration:
 * its first line formats a date, which loads the time-zone and locale data (about 25 ms of CPU and
 * as much of compilation, measured), and that competed with the application's own start-up for
 * the CPU. Should the JVM exit first, the exit hook writes the held lines itself through
 * {@link ExitConsole}, the way that default configuration would, because java.util.logging's own
 * shutdown hook may close its handlers meanwhile (tried without it: the lines of a short OkHttp
 * program were gone). With any other logging set-up the lines are written at once: the
 * application's logging has paid its first line already, and h2fix could not write them at exit
 * the way it would.
 *
 * <p>The one monitor here is held only by h2fix-log and the exit hook, around one line each, so the
 * lines keep their order; an application or library thread takes it only when no thread can be
 * started any more (the JVM exiting), and then writes the lines itself.
 */
final class LogWriter {
  private static final ConcurrentLinkedQueue<Line> QUEUE = new ConcurrentLinkedQueue<>();
  /** A drain is running or about to: whoever sets it starts the thread. */
  private static final AtomicBoolean DRAINING = new AtomicBoolean();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();
  private static final Object WRITING = new Object();
  private static volatile System.Logger logger;
  /** Until when (System.nanoTime) h2fix-log holds lines back; 0: not at all. */
  private static volatile long holdUntilNanos;
  /** Counted down by the exit hook: ends a hold-back at once. */
  private static final CountDownLatch EXIT = new CountDownLatch(1);
  /** Set by the exit hook before it looks at {@link #holding}. */
  private static volatile boolean exiting;
  /** Set by h2fix-log while it holds lines back. */
  private static volatile boolean holding;

  private LogWriter() {}

  /**
   * Lines given from now until {@code nanoTime} are held back (see above), unless the JVM exits
   * first. Called at premain, before the first line.
   */
  static void holdUntil(long nanoTime) {
    holdUntilNanos = nanoTime;
  }

  /** Queues one line; never blocks, never throws. */
  static void offer(Level level, String message) {
    QUEUE.add(new Line(level, message, System.currentTimeMillis()));
    if (DRAINING.compareAndSet(false, true)) {
      startDrain();
    }
  }

  private static void startDrain() {
    try {
      if (HOOKED.compareAndSet(false, true)) {
        Runtime.getRuntime().addShutdownHook(new Thread(new AtExit(), "h2fix-log-exit"));
      }
      // Not inheriting the caller's inheritable thread-locals (an application's MDC, say).
      Thread t = new Thread(null, new Drain(), "h2fix-log", 0, false);
      t.setDaemon(true);
      t.start();
    } catch (Throwable t) {
      // The JVM is exiting (no more hooks or threads): write the lines here, as the exit hook would.
      DRAINING.set(false);
      drain();
    }
  }

  /** Writes queued lines until none is left, one at a time under the monitor. */
  private static void drain() {
    while (true) {
      synchronized (WRITING) {
        Line line = QUEUE.poll();
        if (line == null) {
          return;
        }
        write(line);
      }
    }
  }

  private static void write(Line line) {
    try {
      System.Logger l = logger;
      if (l == null) {
        l = System.getLogger("h2fix");
        logger = l;
      }
      l.log(line.level, line.message);
    } catch (Throwable t) {
      // A logging back end that fails must not take h2fix's thread, or the exit, with it.
    }
  }

  /**
   * h2fix-log, before its first line: waits until the hold-back ends or the JVM exits, when
   * lines are to be held back at all. True when it held lines back and the JVM is exiting: the exit
   * hook then writes them (it saw {@link #holding}, or it drains as usual).
   */
  private static boolean holdBack() {
    long until = holdUntilNanos;
    if (until == 0) {
      return false;
    }
    holdUntilNanos = 0;
    try {
      if (!ExitConsole.replicatesDefault()) {
        return false;
      }
    } catch (Throwable t) {
      return false; // a JVM without java.util.logging: the lines go out at once
    }
    holding = true;
    try {
      long left = until - System.nanoTime();
      if (left > 0 && !exiting) {
        EXIT.await(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      holding = false;
    }
    return exiting;
  }

  /** The exit hook: writes what is left, past java.util.logging if h2fix-log was holding lines back. */
  private static void atExit() {
    exiting = true;
    boolean held = holding;
    EXIT.countDown();
    if (!held) {
      drain();
      return;
    }
    while (true) {
      synchronized (WRITING) {
        Line line = QUEUE.poll();
        if (line == null) {
          return;
        }
        ExitConsole.write(line.level, line.message, line.epochMillis);
      }
    }
  }

  private static final class Line {
    final Level level;
    final String message;
    final long epochMillis;

    Line(Level level, String message, long epochMillis) {
      this.level = level;
      this.message = message;
      this.epochMillis = epochMillis;
    }
  }

  private static final class Drain implements Runnable {
    @Override
    public void run() {
      if (holdBack()) {
        return; // the JVM is exiting: its hook writes the lines
      }
      do {
        drain();
        DRAINING.set(false);
        // A line queued after the last poll, by a caller that saw DRAINING still set: take it too.
      } while (!QUEUE.isEmpty() && DRAINING.compareAndSet(false, true));
    }
  }

  private static final class AtExit implements Runnable {
    @Override
    public void run() {
      atExit();
    }
  }
}
