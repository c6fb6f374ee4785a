package dev.h2fix.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * <p>Lines are written at once, not held back until start-up is over: a line left to the exit hook
 * can be lost, because java.util.logging's own shutdown hook may close its handlers first (OkHttp
 * initialises java.util.logging; tried with a 1 s hold-back, the lines of a short OkHttp program
 * were gone).
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

  private LogWriter() {}

  /** Queues one line; never blocks, never throws. */
  static void offer(Level level, String message) {
    QUEUE.add(new Line(level, message));
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

  private static final class Line {
    final Level level;
    final String message;

    Line(Level level, String message) {
      this.level = level;
      this.message = message;
    }
  }

  private static final class Drain implements Runnable {
    @Override
    public void run() {
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
      drain();
    }
  }
}
