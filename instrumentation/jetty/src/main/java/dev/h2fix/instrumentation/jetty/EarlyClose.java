package dev.h2fix.instrumentation.jetty;

import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.util.Callback;

/**
 * Helper injected into Jetty's class loader: the one {@code Session.Listener.onClose} of a client
 * session, when h2fix delivers it early (before the session's streams are failed). It is the
 * callback the listener completes. Jetty's own close callback (the one its {@code terminate} passes
 * to {@code notifyClose} later) is chained to it: whichever of the two events comes second completes
 * Jetty's callback with the listener's outcome, exactly once. Lock-free; never throws.
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
