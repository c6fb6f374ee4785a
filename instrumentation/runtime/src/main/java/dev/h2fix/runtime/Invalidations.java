package dev.h2fix.runtime;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one entry point for {@link InvalidationListener}s, and where client modules report a dead
 * session. A session is reported at most once however many teardown paths reach it.
 */
public final class Invalidations {
  private static final CopyOnWriteArrayList<InvalidationListener> LISTENERS = new CopyOnWriteArrayList<>();
  private static final WeakIdentitySet SEEN = new WeakIdentitySet();

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
   * for a session counts it and tells every listener, swallowing their exceptions; later calls for
   * the same session do nothing and return false. Never throws.
   */
  public static boolean invalidate(Object session, InvalidatedSession what) {
    if (!SEEN.add(session)) {
      return false;
    }
    Stats.increment(what.client(), Event.SESSIONS_INVALIDATED_EARLY);
    H2FixLog.debug("session invalidated: " + what);
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
    return true;
  }

  /** For client modules: whether {@code session} has already been reported dead. */
  public static boolean isInvalidated(Object session) {
    return SEEN.contains(session);
  }
}
