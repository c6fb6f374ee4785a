package dev.h2fix.chaos;

import dev.h2fix.bench.BenchServer;
import dev.h2fix.chaos.report.Json;
import dev.h2fix.chaos.report.TablePrinter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Overhead on a healthy server (no faults): for each client, {@code --rounds} rounds of a stock and
 * an h2fix child JVM, interleaved (the order flips every round), each warmed up, then the same load.
 * Prints the medians over the rounds of throughput, p50 and p99, and the ratios h2fix / stock.
 */
final class OverheadBench {
  private OverheadBench() {}

  @SuppressWarnings("unchecked")
  static int run(ChaosOptions options) throws Exception {
    options.faultRate = 0;
    Path agent = Locations.agent(options.agent);
    String classpath = Locations.childClasspath(options.childClasspath);
    Progress progress = Progress.forConsole();
    System.out.println("h2fix overhead: healthy server, " + options.requests + " requests per run after "
        + options.warmup + " warm-up, " + options.concurrency + " in flight, " + options.rounds
        + " interleaved rounds per client and phase");
    Map<String, Map<String, List<PhaseFigures>>> runs = new LinkedHashMap<>();
    try (BenchServer bench = BenchServer.start()) {
      for (int round = 0; round < options.rounds; round++) {
        for (String client : options.clients) {
          List<String> order = round % 2 == 0 ? List.of("stock", "h2fix") : List.of("h2fix", "stock");
          for (String phase : order) {
            String label = "[" + phase + " " + (round + 1) + "/" + options.rounds + "] " + client;
            PhaseFigures f = Phase.run(options, bench, agent, classpath, client, phase, round, false,
                (done, failed) -> progress.update(label, done, options.requests, failed));
            progress.done(label + String.format(Locale.ROOT, ": %.0f req/s, p50 %.2f ms, p99 %.2f ms%s",
                f.throughput(), f.p50us() / 1000.0, f.p99us() / 1000.0, f.failed() > 0 ? ", " + f.failed() + " failed" : ""));
            runs.computeIfAbsent(client, c -> new LinkedHashMap<>()).computeIfAbsent(phase, p -> new ArrayList<>()).add(f);
          }
        }
      }
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("client", "stock req/s", "h2fix req/s", "ratio", "stock p50", "h2fix p50", "ratio",
        "stock p99", "h2fix p99", "ratio"));
    Map<String, Object> json = new LinkedHashMap<>();
    for (String client : options.clients) {
      Map<String, List<PhaseFigures>> byPhase = runs.get(client);
      double[] stock = medians(byPhase.get("stock"));
      double[] h2fix = medians(byPhase.get("h2fix"));
      rows.add(List.of(client, fmt(stock[0], 0), fmt(h2fix[0], 0), fmt(h2fix[0] / stock[0], 3),
          fmt(stock[1], 2), fmt(h2fix[1], 2), fmt(h2fix[1] / stock[1], 3),
          fmt(stock[2], 2), fmt(h2fix[2], 2), fmt(h2fix[2] / stock[2], 3)));
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("stock", Map.of("throughput", stock[0], "p50ms", stock[1], "p99ms", stock[2]));
      c.put("h2fix", Map.of("throughput", h2fix[0], "p50ms", h2fix[1], "p99ms", h2fix[2]));
      c.put("throughputRatio", h2fix[0] / stock[0]);
      c.put("p50Ratio", h2fix[1] / stock[1]);
      c.put("p99Ratio", h2fix[2] / stock[2]);
      json.put(client, c);
    }
    System.out.println();
    TablePrinter.print(System.out, "Overhead, medians of " + options.rounds + " rounds (latency in ms; ratio = h2fix / stock;"
        + " target: throughput >= 0.99, p99 <= 1.02)", rows);
    // The noise, next to the medians: the ratio of each round's pair (run back to back).
    for (String client : options.clients) {
      List<Double> ratios = pairedThroughputRatios(runs.get(client));
      if (!ratios.isEmpty()) {
        System.out.println("  " + client + ": throughput ratio of each round's pair, min " + fmt(ratios.get(0), 3)
            + ", median " + fmt(Medians.of(ratios), 3) + ", max " + fmt(ratios.get(ratios.size() - 1), 3));
        ((Map<String, Object>) json.get(client)).put("pairedThroughputRatios", ratios);
      }
    }
    if (options.json != null) {
      Files.writeString(options.json, Json.write(json), StandardCharsets.UTF_8);
    }
    return 0;
  }

  /** h2fix / stock throughput of each round (the two children of a round run back to back), sorted. */
  private static List<Double> pairedThroughputRatios(Map<String, List<PhaseFigures>> byPhase) {
    List<PhaseFigures> stock = byPhase.get("stock");
    List<PhaseFigures> h2fix = byPhase.get("h2fix");
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(stock.size(), h2fix.size()); i++) {
      ratios.add(h2fix.get(i).throughput() / stock.get(i).throughput());
    }
    ratios.sort(null);
    return ratios;
  }

  /** Median throughput, p50 ms, p99 ms over the runs. */
  private static double[] medians(List<PhaseFigures> runs) {
    List<Double> throughput = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    for (PhaseFigures f : runs) {
      throughput.add(f.throughput());
      p50.add(f.p50us() / 1000.0);
      p99.add(f.p99us() / 1000.0);
    }
    return new double[] {Medians.of(throughput), Medians.of(p50), Medians.of(p99)};
  }

  static String fmt(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
