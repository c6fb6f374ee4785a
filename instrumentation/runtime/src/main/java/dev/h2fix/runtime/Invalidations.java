package dev.h2fix.runtime;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one entry point for {@link InvalidationListener}s, and where client modules report a dead
 * session. A session is reported at most once however many teardown paths reach it.
 */
public final class Invalidations {
  private static final CopyOnWriteArrayList<InvalidationListener> LISTENERS = new CopyOnWriteArrayList<>();
  /** Per session: counted down once every listener has been told, by the thread that tells them. */
  private static final WeakIdentityMap<Delivery> DELIVERED = new WeakIdentityMap<>();
  /**
   * How long a second teardown path of the same session waits for the first to finish telling the
   * listeners, so that neither lets the session's streams fail before that. Listeners are required
   * to be quick; the bound keeps a misbehaving one from stalling the library.
   */
  private static final long SECOND_PATH_WAIT_MS = 200;

  private Invalidations() {}

  /**
   * Registers {@code listener} for every patched client. Closing the returned handle removes it.
   * Register before the first request: a session that died before registration is not replayed.
   */
  public static AutoCloseable addListener(InvalidationListener listener) {
    if (listener == null) {
      throw new NullPointerException("listener");
    }
    LISTENERS.add(listener);
    return () -> LISTENERS.remove(listener);
  }

  public static boolean removeListener(InvalidationListener listener) {
    return LISTENERS.remove(listener);
  }

  /**
   * For client modules: {@code session} (the library's own session object) is dead. The first call
   * for a session counts it and tells every listener, swallowing their exceptions; a later call for
   * the same session returns false once the first has told every listener (waiting for that at
   * most 200 ms, only when two teardown paths race). Never throws.
   */
  public static boolean invalidate(Object session, InvalidatedSession what) {
    return invalidate(session, null, what);
  }

  /**
   * As {@link #invalidate(Object, InvalidatedSession)}, but the first path of the session first runs
   * the library's own invalidation {@code steps} (e.g. taking the connection out of service) inside
   * the same claim: a racing second path waits for those steps too, not only for the listeners, and
   * never runs them itself. {@code steps} returns what to tell the listeners.
   */
  public static boolean invalidate(Object session, Supplier<InvalidatedSession> steps) {
    return invalidate(session, steps, null);
  }

  private static boolean invalidate(Object session, Supplier<InvalidatedSession> steps, InvalidatedSession known) {
    Delivery first = DELIVERED.get(session);
    if (first != null) {
      first.await();
      return false;
    }
    Delivery delivery = new Delivery();
    first = DELIVERED.putIfAbsent(session, delivery);
    if (first != null) {
      first.await();
      return false;
    }
    CountDownLatch delivered = delivery.latch;
    try {
      InvalidatedSession what = steps != null ? steps.get() : known;
      Stats.increment(what.client(), Event.SESSIONS_INVALIDATED_EARLY);
      if (H2FixLog.isDebug()) {
        // Guarded: a record's toString bootstraps method handles on first use (tens of ms on this
        // I/O thread) and allocates on every call after.
        H2FixLog.debug("session invalidated: " + what);
      }
      for (InvalidationListener listener : LISTENERS) {
        try {
          listener.onSessionInvalidated(what);
        } catch (Throwable t) {
          Stats.increment(what.client(), Event.LISTENER_FAILURES);
          H2FixLog.warnOnce(
              "listener:" + listener.getClass().getName(),
              "invalidation listener " + listener.getClass().getName() + " threw " + t.getClass().getName()
                  + "; ignored (counted as listenerFailures)");
        }
      }
    } finally {
      delivered.countDown();
    }
    return true;
  }

  /** One session's telling of the listeners: done, or under way on one thread. */
  private static final class Delivery {
    final CountDownLatch latch = new CountDownLatch(1);
    final long thread = Thread.currentThread().getId();

    /**
     * Another teardown path of this session is telling the listeners right now (two threads can
     * reach teardown together, e.g. the reader and a failed write): let it finish first, so that
     * this path, too, fails streams only after every listener has run. Not when this thread is the
     * one telling them (a listener that tears the session down itself would wait for itself).
     */
    void await() {
      if (latch.getCount() == 0 || Thread.currentThread().getId() == thread) {
        return;
      }
      try {
        latch.await(SECOND_PATH_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** For client modules: whether {@code session} has already been reported dead. */
  public static boolean isInvalidated(Object session) {
    return DELIVERED.get(session) != null;
  }
}
