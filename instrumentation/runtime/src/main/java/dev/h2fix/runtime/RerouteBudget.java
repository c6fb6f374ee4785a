package dev.h2fix.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many times each request (the library's own call or exchange object, held weakly and compared
 * by identity) has been sent again by h2fix, so that the reroute bound holds per request. Lock-free.
 */
public final class RerouteBudget {
  private static final WeakIdentityMap<AtomicInteger> USED = new WeakIdentityMap<>();

  private RerouteBudget() {}

  /**
   * Takes one reroute for {@code request} if it has used fewer than {@code max}; true if taken.
   * Never blocks.
   */
  public static boolean tryAcquire(Object request, int max) {
    if (max <= 0) {
      return false;
    }
    // No method reference: a JVM's first one bootstraps method handles, milliseconds on the thread
    // that is rerouting a failed request.
    AtomicInteger used = USED.addIfAbsent(request, new AtomicInteger());
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
    AtomicInteger n = USED.get(request);
    return n == null ? 0 : n.get();
  }
}
