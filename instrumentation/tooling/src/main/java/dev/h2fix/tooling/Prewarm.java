package dev.h2fix.tooling;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who pays for Byte Buddy's first use: the background thread h2fix-init, when it gets there before
 * any patched class loads, or else the application thread that loads the first one. Never both at
 * once, and nobody waits for anybody.
 *
 * <p>Why nobody waits: a class-loading thread reaches h2fix's transformer holding the class-loading
 * lock of the class being loaded (and of any class whose loading led to it), sometimes inside a
 * static initialiser. If it waited for h2fix-init, and h2fix-init needed one of those locks, both
 * would hang. So an application thread that finds the warm-up running does its own work instead
 * (slower, still correct: verdicts and transformers are published with put-if-absent, never
 * computed under a lock). What the two threads can still share are the JVM's class-loading and
 * class-initialisation locks of Byte Buddy's own classes, and those cannot deadlock here:
 * <ul>
 *   <li>h2fix-init never loads a library or application class: it finds the library with
 *       {@code getResource}, reads class files as bytes, and weaves only h2fix's own
 *       {@code WarmUpTarget}, which is never loaded or defined. So it never needs a lock an
 *       application thread holds while it is in the transformer.</li>
 *   <li>It runs only when the agent's class loader is parallel-capable (the JDK's application
 *       loader is): with a loader that is not, loading any class means taking the loader's one
 *       monitor, which the application thread holds while in the transformer.</li>
 *   <li>An application thread that touches a Byte Buddy class h2fix-init is initialising waits for
 *       that initialiser, which only loads Byte Buddy, h2fix and JDK classes: it completes. Two
 *       threads initialising Byte Buddy from two ends could meet in a cycle of static
 *       initialisers; the one such cycle known (byte-buddy#1347, TypeDescription.Generic) is
 *       broken upstream since 1.12.18, and the gate below keeps h2fix-init from starting once an
 *       application thread has begun, so an overlap needs the application to load a patched class
 *       during the warm-up's few hundred milliseconds.</li>
 * </ul>
 * Measured with scripts/dev-startup-bench (OkHttp's first call racing the warm-up): see
 * docs/DESIGN.md, Start-up.
 */
final class Prewarm {
  private static final int NOT_STARTED = 0;
  private static final int RUNNING = 1;
  private static final int DONE = 2;
  /** An application thread got to a patched class first: the warm-up does not start. */
  private static final int PRE_EMPTED = 3;

  private final AtomicInteger state = new AtomicInteger(NOT_STARTED);
  private volatile boolean arrived;

  /** h2fix-init: true if it may warm up (nobody has started on Byte Buddy yet). */
  boolean tryStart() {
    return state.compareAndSet(NOT_STARTED, RUNNING);
  }

  /**
   * Whether an application thread has reached a patched class: it is then doing the same work on
   * its own, and a warm-up that goes on only competes with it for the CPU (measured: on a busy
   * 2-core machine the first response came later, not sooner), so the warm-up stops at its next step.
   */
  boolean overtaken() {
    return arrived;
  }

  void finish() {
    state.set(DONE);
  }

  /** An application thread reached a patched class; never blocks. Returns what it found, for the debug log. */
  String arrive() {
    arrived = true;
    if (state.compareAndSet(NOT_STARTED, PRE_EMPTED)) {
      return "before the warm-up";
    }
    int s = state.get();
    return s == RUNNING ? "during the warm-up" : s == DONE ? "after the warm-up" : "without a warm-up";
  }

  /** Whether the warm-up may run in this JVM at all. */
  static boolean allowed() {
    ClassLoader agentLoader = Prewarm.class.getClassLoader();
    return agentLoader == null || agentLoader.isRegisteredAsParallelCapable();
  }
}
