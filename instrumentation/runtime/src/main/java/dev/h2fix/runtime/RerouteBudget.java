package dev.h2fix.runtime;

import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many times each request (the library's own call or exchange object, held weakly and compared
 * by identity) has been sent again by h2fix, so that the reroute bound holds per request. Lock-free.
 */
public final class RerouteBudget {
  private static final ConcurrentHashMap<WeakIdentitySet.Ref, AtomicInteger> USED = new ConcurrentHashMap<>();
  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();

  private RerouteBudget() {}

  /**
   * Takes one reroute for {@code request} if it has used fewer than {@code max}; true if taken.
   * Never blocks.
   */
  public static boolean tryAcquire(Object request, int max) {
    if (max <= 0) {
      return false;
    }
    for (Object ref; (ref = QUEUE.poll()) != null; ) {
      USED.remove(ref);
    }
    AtomicInteger used = USED.computeIfAbsent(new WeakIdentitySet.Ref(request, QUEUE), k -> new AtomicInteger());
    while (true) {
      int n = used.get();
      if (n >= max) {
        return false;
      }
      if (used.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** How many reroutes {@code request} has used. */
  public static int used(Object request) {
    AtomicInteger n = USED.get(new WeakIdentitySet.Ref(request, null));
    return n == null ? 0 : n.get();
  }
}
