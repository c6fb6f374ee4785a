package dev.h2fix.instrumentation.jetty;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Helper injected into Jetty's class loader: one teardown step of a client session under way on
 * one thread ({@code HTTP2Session$StreamsState.onShutdown}, {@code onWriteFailure}, {@code onGoAway},
 * {@code onSessionFailure}, {@code onIdleTimeout}, {@code halt}). Each switches the session's close
 * state under Jetty's lock, releases it, and only then tells the session listener
 * ({@code onFailure}/{@code onGoAway}, then the early {@code onClose} from failStreams). A
 * {@code newStream} on another thread that finds the switched state in between is refused at once
 * ("session closed", or the session's failure): it waits here, bounded, until the step returned.
 */
final class Teardown {
  /**
   * As long as {@code EarlyClose} and {@code Invalidations} let a second path wait: the step runs
   * the listener's callbacks and fails the streams, microseconds to a few milliseconds; the bound
   * only keeps a listener that blocks from stalling the refused caller longer.
   */
  private static final long WAIT_MS = 200;

  private final CountDownLatch done = new CountDownLatch(1);
  private final long thread = Thread.currentThread().getId();
  /**
   * The step that was under way when this one began (two threads can tear one session down at
   * once: the reader's write failure and the selector's close stopping the session), else null.
   */
  private final Teardown previous;

  Teardown(Teardown previous) {
    this.previous = previous == null || previous.isFinished() ? null : previous;
  }

  /** The step returned (or threw). */
  void finished() {
    done.countDown();
  }

  boolean isFinished() {
    return done.getCount() == 0;
  }

  /**
   * Waits until this step and those under way when it began have returned, at most 200 ms in all;
   * skips a step on the calling thread (a stream callback of that step opening a stream).
   */
  void awaitAll() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    try {
      for (Teardown step = this; step != null; step = step.previous) {
        if (step.isFinished() || Thread.currentThread().getId() == step.thread) {
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !step.done.await(left, TimeUnit.NANOSECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
