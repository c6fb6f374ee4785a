package dev.h2fix.chaos;

import dev.h2fix.bench.BenchServer;
import dev.h2fix.chaos.child.ChaosChild;
import dev.h2fix.chaos.child.Drivers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Runs one client in one phase (stock or h2fix) in a child JVM and classifies what it reports. */
final class Phase {
  private Phase() {}

  /** Progress of a running phase: requests done, failed so far. */
  interface Listener {
    void progress(long done, long failed);
  }

  static PhaseFigures run(ChaosOptions options, BenchServer bench, Path agent, String classpath, String client,
      String phase, int round, boolean measureResources, Listener listener) throws Exception {
    boolean withAgent = phase.equals("h2fix");
    String tag = phase + "-" + client + "-" + round;
    boolean tls = Drivers.usesTls(client);
    List<String> args = new ArrayList<>(List.of(
        "client=" + client,
        "port=" + (tls ? bench.tlsProxy().listenPort() : bench.h2cProxy().listenPort()),
        "keystore=" + bench.certificate().keystorePath(),
        "password=" + bench.certificate().password(),
        "timeoutMs=" + options.timeoutMs,
        "concurrency=" + options.concurrency,
        "requests=" + options.requests,
        "durationMs=" + options.durationMs,
        "seed=" + options.seed,
        "rate=" + options.faultRate,
        "faults=" + options.faults,
        "postShare=" + options.postShare,
        "oneShotShare=" + options.oneShotShare,
        "bodySize=256",
        "responseSize=2048",
        "warmup=" + options.warmup,
        "resources=" + measureResources,
        "tag=" + tag));
    List<String> command = ChildJvm.command(options.javaHome, withAgent ? agent : null, classpath, List.of(),
        ChaosChild.class, args);
    List<String> failures = new ArrayList<>();
    Map<String, String> result = new HashMap<>();
    AtomicLong failedSoFar = new AtomicLong();
    long limitMs = 120_000 + (measureResources ? 90_000 : 0) + (options.durationMs > 0 ? options.durationMs
        : options.requests * (options.timeoutMs + 5_000) / Math.max(1, options.concurrency) / 20);
    ChildJvm.Result child = ChildJvm.run(command, Duration.ofMillis(limitMs), line -> {
      if (!line.startsWith(ChaosChild.PREFIX)) {
        return;
      }
      String body = line.substring(ChaosChild.PREFIX.length());
      if (body.startsWith("F ")) {
        synchronized (failures) {
          failures.add(body.substring(2)); // classified once the child is gone and nothing is in flight
        }
      } else if (body.startsWith("P ")) {
        String[] p = body.substring(2).trim().split(" ");
        failedSoFar.set(Long.parseLong(p[1]));
        listener.progress(Long.parseLong(p[0]), Long.parseLong(p[1]));
      } else if (body.startsWith("R ")) {
        for (String pair : body.substring(2).trim().split(" ")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            result.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
        }
      }
    });
    Classifier classifier = new Classifier(bench);
    synchronized (failures) {
      failures.forEach(classifier::failed);
    }
    long duplicates = bench.duplicates().stream().filter(id -> id.startsWith(tag + "-")).count();
    int exit = child.timedOut() ? -1 : child.exitCode();
    if (result.isEmpty() && exit == 0) {
      exit = -2; // ended without figures
    }
    Map<String, Long> extra = new LinkedHashMap<>();
    for (String key : List.of("threadsBefore", "threadsAfter", "heapBefore", "heapAfter", "filesBefore",
        "filesAfter", "warmupFailed", "invalidatedEarly", "adviceFailures")) {
      if (result.containsKey(key)) {
        extra.put(key, Long.parseLong(result.get(key)));
      }
    }
    extra.put("unsentButDelivered", classifier.unsentButDelivered);
    Double installMs = AgentLine.installMillis(child.stderr());
    if (installMs != null) {
      extra.put("agentInstallMicros", Math.round(installMs * 1000));
    }
    if (exit != 0) {
      System.err.println("chaos: the " + phase + " child for " + client + (child.timedOut() ? " timed out" : " failed (exit "
          + child.exitCode() + ")") + "; its stderr:\n" + child.stderr());
    }
    bench.reset(); // ids are per phase; nothing is in flight once the child has exited
    long requests = number(result, "requests");
    long failed = number(result, "failed");
    return new PhaseFigures(client, phase, withAgent, number(result, "patched") == 1, requests,
        requests - failed, classifier.neverSent, classifier.neverSentOneShot, classifier.neverSentAfterReplay,
        classifier.afterSend,
        classifier.lostInTransit, duplicates, classifier.hung, number(result, "rerouted"), number(result, "declined"),
        number(result, "p50us"), number(result, "p99us"), number(result, "elapsedMs"), exit, classifier.kinds, extra);
  }

  private static long number(Map<String, String> result, String key) {
    String value = result.get(key);
    return value == null ? 0 : Long.parseLong(value);
  }
}
