package dev.h2fix.chaos;

import dev.h2fix.bench.BenchServer;
import dev.h2fix.chaos.child.Drivers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos run: starts the bench (HTTP/2 server and fault proxies on 127.0.0.1) in this JVM, then
 * for each client runs the phases (stock, h2fix) one after the other in child JVMs, with the same
 * schedule, and returns the figures.
 */
final class ChaosRun {
  private ChaosRun() {}

  static List<PhaseFigures> run(ChaosOptions options, Progress progress) throws Exception {
    Path agent = options.phases.contains("h2fix") ? Locations.agent(options.agent) : null;
    String classpath = Locations.childClasspath(options.childClasspath);
    List<PhaseFigures> figures = new ArrayList<>();
    try (BenchServer bench = BenchServer.start()) {
      for (String client : options.clients) {
        for (String phase : options.phases) {
          String label = "[" + phase + "] " + client;
          long total = options.durationMs > 0 ? 0 : options.requests;
          progress.update(label, 0, total, 0);
          PhaseFigures f = Phase.run(options, bench, agent, classpath, client, phase, 0, options.soak,
              (done, failed) -> progress.update(label, done, total, failed));
          progress.done(label + ": " + f.requests() + " requests, " + f.failed() + " failed"
              + (f.complete() ? "" : " (child did not finish: exit " + f.exitCode() + ")"));
          figures.add(f);
        }
      }
    }
    return figures;
  }

  /** The one-line description of the load, for the report headers. */
  static String describe(ChaosOptions o) {
    return (o.durationMs > 0 ? (o.durationMs / 1000) + " s" : o.requests + " requests") + " per client and phase, "
        + o.concurrency + " in flight, faults " + o.faults + " on " + Math.round(o.faultRate * 1000) / 10.0
        + "% of requests, " + Math.round(o.postShare * 100) + "% POSTs (" + Math.round(o.oneShotShare * 100)
        + "% of them one-shot), seed " + o.seed;
  }

  static String label(String client) {
    return Drivers.label(client);
  }
}
