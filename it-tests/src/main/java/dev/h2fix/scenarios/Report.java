package dev.h2fix.scenarios;

import dev.h2fix.runtime.H2FixRuntime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a scenario tells the test that forked it: {@code H2FIX-COUNT <key> <value>} lines on stdout,
 * printed once at the end. Thread-safe counting.
 */
public final class Report {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  public void add(String key) {
    add(key, 1);
  }

  public void add(String key, long n) {
    counts.computeIfAbsent(key, k -> new LongAdder()).add(n);
  }

  private final java.util.concurrent.atomic.AtomicBoolean firstFailurePrinted = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Counts a failure by its exception class, e.g. {@code failed.java.io.EOFException}, unwrapping
   * {@code ExecutionException}. The first failure's stack trace goes to stderr, for diagnosis.
   */
  public void failure(Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.ExecutionException && t.getCause() != null ? t.getCause() : t;
    add("failed");
    add("failed." + cause.getClass().getName());
    if (firstFailurePrinted.compareAndSet(false, true)) {
      cause.printStackTrace();
    }
  }

  /** Reports whether h2fix is installed and how many libraries it patched for {@code client}. */
  public void agentState(String client) {
    add("agent.installed", H2FixRuntime.isInstalled() ? 1 : 0);
    add("agent.patched." + client, H2FixRuntime.patched().stream().filter(s -> s.startsWith(client + " ")).count());
    add("agent.skipped." + client, H2FixRuntime.skipped().stream().filter(s -> s.startsWith(client + " ")).count());
    for (Map.Entry<String, Long> e : dev.h2fix.runtime.Stats.snapshot().entrySet()) {
      if (e.getKey().startsWith(client + ".") && e.getValue() > 0) {
        add("agent.stats." + e.getKey().substring(client.length() + 1), e.getValue());
      }
    }
  }

  public void print() {
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(counts).entrySet()) {
      System.out.println("H2FIX-COUNT " + e.getKey() + " " + e.getValue().sum());
    }
    System.out.flush();
  }
}
