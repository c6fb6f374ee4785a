package dev.h2fix.runtime;

/**
 * Told once per dead HTTP/2 session of a patched client, before any stream-level callback of that
 * session runs. Register with {@link Invalidations#addListener}.
 *
 * <p>Called on the library's own thread, often its I/O thread: return quickly and never block. An
 * exception thrown here is swallowed (and counted as {@code listenerFailures}); it never reaches the
 * library.
 */
@FunctionalInterface
public interface InvalidationListener {
  void onSessionInvalidated(InvalidatedSession session);
}
