package dev.h2fix.instrumentation.jetty;

import dev.h2fix.runtime.H2FixLog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.util.Callback;

/**
 * Helper injected into Jetty's class loader: the one {@code Session.Listener.onClose} of a client
 * session, when h2fix delivers it early (before the session's streams are failed). It is the
 * callback the listener completes. Jetty's own close callback (the one its {@code terminate} passes
 * to {@code notifyClose} later) is chained to it: whichever of the two events comes second completes
 * Jetty's callback with the listener's outcome, exactly once. Never throws.
 *
 * <p>Two teardown paths of one session can run on two threads at once (measured on 12.0 with TLS
 * and RST: the reader's SETTINGS ack fails to write, {@code onWriteFailure} on the reader, while the
 * selector's {@code DestroyEndPoint} task stops the session, {@code doStop → halt}, on a pool
 * thread). Only one delivers onClose; the other must not fail streams before that onClose returned:
 * {@link #awaitDelivered} is the hand-off, bounded like {@code Invalidations}' (see there).
 */
public final class EarlyClose implements Callback {
  /** The listener completed the early callback: how. */
  private static final class Outcome {
    final Throwable failure;

    Outcome(Throwable failure) {
      this.failure = failure;
    }
  }

  /** The outcome was handed on to Jetty's callback. */
  private static final Object FORWARDED = new Object();

  /** null: neither happened yet; an {@link Outcome}; Jetty's {@link Callback}; or {@link #FORWARDED}. */
  private final AtomicReference<Object> state = new AtomicReference<>();
  /** Set once, before the early {@code onClose} is delivered. */
  volatile GoAwayFrame frame;
  /** Counted down when the listener's onClose returned (or threw). */
  private final CountDownLatch delivered = new CountDownLatch(1);
  /** The thread that delivers it (the one that built this claim). */
  private final long deliverer = Thread.currentThread().getId();

  /**
   * How long another teardown path of the session waits for the onClose under way on another
   * thread, as long as {@code Invalidations} lets a second path wait for the invalidation
   * listeners: a listener's onClose is expected to take microseconds (it clears a cache); the
   * bound only stops a listener that blocks from stalling Jetty's thread for longer. After it,
   * that path goes on as stock would (its stream callbacks may then overlap the onClose).
   */
  private static final long SECOND_PATH_WAIT_MS = 200;

  /** The listener's onClose returned (or threw). */
  void deliveredNow() {
    delivered.countDown();
  }

  /**
   * Called by another teardown path of the same session before it fails streams: waits (bounded)
   * until the onClose under way on the delivering thread has returned. Returns at once on the
   * delivering thread itself (a listener that tears the session down from inside onClose) and
   * once delivered. Takes no lock: the waiting path holds only what Jetty holds there itself.
   */
  void awaitDelivered() {
    if (delivered.getCount() == 0 || Thread.currentThread().getId() == deliverer) {
      return;
    }
    try {
      if (!delivered.await(SECOND_PATH_WAIT_MS, TimeUnit.MILLISECONDS)) {
        H2FixLog.debug("Session.Listener.onClose still running after "
            + SECOND_PATH_WAIT_MS + " ms on another thread; streams fail now, as stock");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void succeeded() {
    complete(new Outcome(null));
  }

  @Override
  public void failed(Throwable x) {
    complete(new Outcome(x));
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  private void complete(Outcome outcome) {
    while (true) {
      Object s = state.get();
      if (s == null) {
        if (state.compareAndSet(null, outcome)) {
          return; // Jetty has not terminated the session yet: its callback gets this outcome later
        }
      } else if (s instanceof Callback) {
        if (state.compareAndSet(s, FORWARDED)) {
          forward(outcome, (Callback) s);
          return;
        }
      } else {
        return; // completed twice by the listener: Jetty's callback is completed once only
      }
    }
  }

  /** Jetty's {@code notifyClose} came with {@code callback}: the listener already had its onClose. */
  void onStockClose(Callback callback) {
    while (true) {
      Object s = state.get();
      if (s == null) {
        if (state.compareAndSet(null, callback)) {
          return; // the listener has not completed its callback yet: it completes Jetty's when it does
        }
      } else if (s instanceof Outcome) {
        if (state.compareAndSet(s, FORWARDED)) {
          forward((Outcome) s, callback);
          return;
        }
      } else {
        return; // notifyClose twice (cannot happen: SS.terminate runs once); stock would not complete twice either
      }
    }
  }

  private static void forward(Outcome outcome, Callback callback) {
    try {
      if (outcome.failure == null) {
        callback.succeeded();
      } else {
        callback.failed(outcome.failure);
      }
    } catch (Throwable t) {
      JettySessions.failed(t);
    }
  }
}
