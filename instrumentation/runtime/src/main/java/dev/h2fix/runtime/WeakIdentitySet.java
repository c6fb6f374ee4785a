package dev.h2fix.runtime;

/** A lock-free set of objects held weakly and compared by identity. */
final class WeakIdentitySet {
  private final WeakIdentityMap<Boolean> map = new WeakIdentityMap<>();

  /** Adds {@code o}; true if it was not there yet. */
  boolean add(Object o) {
    return map.putIfAbsent(o, Boolean.TRUE) == null;
  }

  boolean contains(Object o) {
    return map.get(o) != null;
  }

  int size() {
    return map.size();
  }
}
