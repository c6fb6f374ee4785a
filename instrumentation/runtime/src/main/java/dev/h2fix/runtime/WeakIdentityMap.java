package dev.h2fix.runtime;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lock-free map whose keys are held weakly and compared by identity: what h2fix remembers about
 * a library's session, call or connection without keeping it alive or relying on its equals.
 * Callers create a value and {@link #addIfAbsent} it rather than pass a lambda: a JVM's first lambda
 * bootstraps method handles, milliseconds on a library thread.
 */
final class WeakIdentityMap<V> {
  private final ConcurrentHashMap<Ref, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

  /** Puts {@code value} unless {@code key} has one; returns the value that was there, or null. */
  V putIfAbsent(Object key, V value) {
    expunge();
    return map.putIfAbsent(new Ref(key, queue), value);
  }

  /** The value {@code key} has now: {@code value} if it had none, else the one it had. */
  V addIfAbsent(Object key, V value) {
    V earlier = putIfAbsent(key, value);
    return earlier != null ? earlier : value;
  }

  V get(Object key) {
    return map.get(new Ref(key, null));
  }

  int size() {
    expunge();
    return map.size();
  }

  private void expunge() {
    for (Object ref; (ref = queue.poll()) != null; ) {
      map.remove(ref);
    }
  }

  /** A weak reference compared by the identity of its referent. */
  private static final class Ref extends WeakReference<Object> {
    private final int hash;

    Ref(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Ref)) {
        return false;
      }
      Object mine = get();
      return mine != null && mine == ((Ref) other).get();
    }
  }
}
