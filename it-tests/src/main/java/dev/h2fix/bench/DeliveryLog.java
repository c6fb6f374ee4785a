package dev.h2fix.bench;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Thread-safe counts of what the server did with each request id: deliveries (accepted for
 * processing) and refusals (REFUSED_STREAM or excluded by a GOAWAY). A request without an id only
 * counts in the totals.
 */
public final class DeliveryLog {
  private static final int MAX_HISTORY = 50_000; // ids; a soak's later ids go without
  private final ConcurrentHashMap<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
  private final Queue<String> duplicates = new ConcurrentLinkedQueue<>();
  // Per id, one line per stream of it the server delivered or refused (SessionState.where), for
  // failure messages only.
  private final ConcurrentHashMap<String, Queue<String>> history = new ConcurrentHashMap<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Object changed = new Object(); // notified on every record, for the await methods

  /** Records one delivery; returns how many times this id has now been delivered. */
  public int delivered(String id) {
    delivered.incrementAndGet();
    if (id == null) {
      return 1;
    }
    int count = deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    if (count == 2) {
      duplicates.add(id); // once per id, in the order the duplicates happened
    }
    signal();
    return count;
  }

  /** Records one refusal (not a delivery). */
  public void refused(String id) {
    refused.incrementAndGet();
    if (id != null) {
      refusals.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }
    signal();
  }

  /** Adds a line to {@code id}'s history (where and why it was delivered or refused). */
  public void note(String id, String event) {
    if (id != null && (history.size() < MAX_HISTORY || history.containsKey(id))) {
      history.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(event);
    }
  }

  /** What happened to {@code id}'s streams, in order; empty if nothing. */
  public List<String> history(String id) {
    Queue<String> events = history.get(id);
    return events == null ? List.of() : List.copyOf(events);
  }

  /** Waits until {@code id} was delivered at least {@code count} times; false on timeout. */
  public boolean awaitDeliveries(String id, int count, Duration timeout) throws InterruptedException {
    return await(() -> deliveries(id) >= count, timeout);
  }

  /** Waits until {@code id} was refused at least {@code count} times; false on timeout. */
  public boolean awaitRefusals(String id, int count, Duration timeout) throws InterruptedException {
    return await(() -> refusals(id) >= count, timeout);
  }

  private boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (!condition.getAsBoolean()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        changed.wait(left);
      }
      return true;
    }
  }

  private void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  public int deliveries(String id) {
    AtomicInteger count = deliveries.get(id);
    return count == null ? 0 : count.get();
  }

  public int refusals(String id) {
    AtomicInteger count = refusals.get(id);
    return count == null ? 0 : count.get();
  }

  public long deliveredCount() {
    return delivered.get();
  }

  public long refusedCount() {
    return refused.get();
  }

  /** Ids delivered more than once. */
  public List<String> duplicates() {
    return List.copyOf(duplicates);
  }

  /** Clears everything; call while no request is in flight. */
  public void reset() {
    deliveries.clear();
    refusals.clear();
    history.clear();
    duplicates.clear();
    delivered.set(0);
    refused.set(0);
  }

  @Override
  public String toString() {
    return "delivered=" + deliveredCount() + " refused=" + refusedCount() + " duplicates=" + duplicates.size();
  }
}
