package dev.h2fix.chaos.child;

import dev.h2fix.chaos.FaultMix;
import dev.h2fix.chaos.Schedule;
import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.runtime.Stats;
import dev.h2fix.scenarios.ScenarioMain;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One phase of a chaos run for one client, in its own JVM (with or without the agent): a warm-up,
 * then the scheduled load. Tells the parent on stdout, one line each:
 * <pre>
 * CHAOS P done failed                                   progress, every half second
 * CHAOS F id unsent oneShot hung replayed fault class  a failed request
 * CHAOS R key=value ...                                 the figures, once at the end
 * </pre>
 * Ends its JVM with exit 0 once it has reported, whatever the clients' threads still do.
 */
public final class ChaosChild {
  public static final String PREFIX = "CHAOS ";
  /** {@code -Dchaos.debug=true}: each failure's stack trace on stderr. */
  private static final boolean DEBUG = Boolean.getBoolean("chaos.debug");

  private ChaosChild() {}

  public static void main(String[] argv) {
    ScenarioMain.run(argv, a -> run(new ChildArgs(a)));
  }

  private static void run(ChildArgs args) throws Exception {
    Schedule schedule = new Schedule(args.getLong("seed"), args.getDouble("rate"), FaultMix.parse(args.get("faults")),
        args.getDouble("postShare"), args.getDouble("oneShotShare"));
    long timeoutMs = args.getLong("timeoutMs");
    int concurrency = args.getInt("concurrency");
    int bodySize = args.getInt("bodySize");
    int responseSize = args.getInt("responseSize");
    String tag = args.get("tag");
    boolean measureResources = Boolean.parseBoolean(args.get("resources", "false"));
    try (Driver driver = Drivers.start(args)) {
      long warmupFailed = warmUp(driver, tag, args.getInt("warmup"), concurrency, bodySize, responseSize, timeoutMs);
      Resources before = measureResources ? Resources.now() : null;
      long reroutedBefore = counter(driver, Event.REQUESTS_REROUTED);
      Load load = new Load(driver, schedule, tag, bodySize, responseSize, timeoutMs);
      Thread progress = progress(load);
      long elapsed = load.run(concurrency, args.getLong("requests"), args.getLong("durationMs"), ended -> report(ended, driver.oneShotBodies()));
      progress.interrupt();
      long[] latencies = load.sortedLatencies();
      StringBuilder line = new StringBuilder(PREFIX + "R");
      line.append(" requests=").append(load.done()).append(" failed=").append(load.failed())
          .append(" warmupFailed=").append(warmupFailed)
          .append(" elapsedMs=").append(TimeUnit.NANOSECONDS.toMillis(elapsed))
          .append(" p50us=").append(Latencies.percentile(latencies, 50))
          .append(" p99us=").append(Latencies.percentile(latencies, 99))
          .append(" rerouted=").append(counter(driver, Event.REQUESTS_REROUTED) - reroutedBefore)
          .append(" declined=").append(counter(driver, Event.REPLAYS_DECLINED_UNSAFE))
          .append(" invalidatedEarly=").append(counter(driver, Event.SESSIONS_INVALIDATED_EARLY))
          .append(" adviceFailures=").append(counter(driver, Event.ADVICE_FAILURES))
          .append(" agent=").append(H2FixRuntime.isInstalled() ? 1 : 0)
          .append(" patched=").append(patched(driver) ? 1 : 0);
      if (measureResources) {
        Resources after = settle(before);
        line.append(" threadsBefore=").append(before.threads()).append(" threadsAfter=").append(after.threads())
            .append(" heapBefore=").append(before.heapBytes()).append(" heapAfter=").append(after.heapBytes())
            .append(" filesBefore=").append(before.openFiles()).append(" filesAfter=").append(after.openFiles());
      }
      System.out.println(line);
      System.out.flush();
    }
  }

  /** Healthy requests before the load, so that both phases start warm; not counted. */
  private static long warmUp(Driver driver, String tag, int count, int concurrency, int bodySize, int responseSize,
      long timeoutMs) throws InterruptedException {
    if (count <= 0) {
      return 0;
    }
    Schedule healthy = new Schedule(0, 0, dev.h2fix.chaos.FaultMix.all(), 0.5, 0);
    Load warm = new Load(driver, healthy, tag + "w", bodySize, responseSize, timeoutMs);
    warm.run(Math.min(concurrency, count), count, 0, ended -> { });
    return warm.failed();
  }

  private static void report(Load.Ended ended, boolean oneShotBodies) {
    if (ended.outcome().ok()) {
      return;
    }
    ChildRequest request = ended.request();
    if (DEBUG && ended.outcome().failure() != null) {
      ended.outcome().failure().printStackTrace();
    }
    System.out.println(PREFIX + "F " + request.id() + " " + (ended.outcome().unsent() ? 1 : 0) + " "
        + (oneShotBodies && request.oneShot() ? 1 : 0) + " " + (ended.hung() ? 1 : 0) + " "
        + (ended.outcome().replayed() ? 1 : 0) + " "
        + (request.action() == null ? "-" : request.action()) + " " + Failures.kind(ended.outcome().failure()));
  }

  private static Thread progress(Load load) {
    Thread thread = new Thread(() -> {
      try {
        while (true) {
          TimeUnit.MILLISECONDS.sleep(500);
          System.out.println(PREFIX + "P " + load.done() + " " + load.failed());
        }
      } catch (InterruptedException e) {
        // load done
      }
    }, "chaos-progress");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Waits, bounded (75 s: past the 60 s idle timeouts of OkHttp's and Jetty's thread pools, which
   * keep the threads the load made for a minute), for threads, heap and files to come back to the
   * baseline; returns the last reading.
   */
  private static Resources settle(Resources before) throws InterruptedException {
    Resources now = Resources.now();
    for (int i = 0; i < 150 && !now.within(before); i++) {
      TimeUnit.MILLISECONDS.sleep(500);
      now = Resources.now();
    }
    return now;
  }

  private static long counter(Driver driver, Event event) {
    return Stats.get(Client.valueOf(driver.statsClient().toUpperCase(Locale.ROOT)), event);
  }

  private static boolean patched(Driver driver) {
    return H2FixRuntime.patched().stream().anyMatch(s -> s.startsWith(driver.statsClient() + " "));
  }
}
