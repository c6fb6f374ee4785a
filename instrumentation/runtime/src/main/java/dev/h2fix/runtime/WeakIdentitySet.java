package dev.h2fix.runtime;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lock-free set of objects compared by identity and held weakly, so that a session seen once is
 * remembered without keeping it alive. Used to deliver each invalidation exactly once.
 */
final class WeakIdentitySet {
  private final ConcurrentHashMap<Object, Boolean> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

  /** Adds {@code o}; true if it was not there yet. */
  boolean add(Object o) {
    expunge();
    return map.putIfAbsent(new Ref(o, queue), Boolean.TRUE) == null;
  }

  boolean contains(Object o) {
    return map.containsKey(new Ref(o, null));
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
  static final class Ref extends WeakReference<Object> {
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
