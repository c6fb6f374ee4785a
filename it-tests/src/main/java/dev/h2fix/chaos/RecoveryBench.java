package dev.h2fix.chaos;

import dev.h2fix.bench.BenchControl;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.chaos.child.Drivers;
import dev.h2fix.chaos.child.RecoveryProbe;
import dev.h2fix.chaos.report.Json;
import dev.h2fix.chaos.report.TablePrinter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recovery: after every connection is reset, the latency (and the outcome) of the very next
 * request, stock vs h2fix, beside a request on a fresh connection once the client has noticed
 * the reset. See {@link RecoveryProbe}.
 */
final class RecoveryBench {
  private RecoveryBench() {}

  /** Samples of one kind: ok latencies in ms, and failures. */
  private static final class Samples {
    final List<Double> okMs = new ArrayList<>();
    int failed;
  }

  static int run(ChaosOptions options) throws Exception {
    Path agent = Locations.agent(options.agent);
    String classpath = Locations.childClasspath(options.childClasspath);
    Map<String, Samples> samples = new LinkedHashMap<>();
    try (BenchServer bench = BenchServer.start(); BenchControl control = new BenchControl(bench)) {
      for (String client : options.clients) {
        for (String phase : List.of("stock", "h2fix")) {
          boolean tls = Drivers.usesTls(client);
          List<String> args = List.of("client=" + client,
              "port=" + (tls ? bench.tlsProxy().listenPort() : bench.h2cProxy().listenPort()),
              "keystore=" + bench.certificate().keystorePath(), "password=" + bench.certificate().password(),
              "timeoutMs=" + options.timeoutMs, "concurrency=1", "control=" + control.port(), "runs=" + options.runs);
          List<String> command = ChildJvm.command(options.javaHome, phase.equals("h2fix") ? agent : null, classpath,
              List.of(), RecoveryProbe.class, args);
          ChildJvm.Result result = ChildJvm.run(command, Duration.ofMinutes(5), line -> {
            String[] f = line.split(" ");
            if (f.length == 4 && f[0].equals("REC")) {
              Samples s;
              synchronized (samples) {
                s = samples.computeIfAbsent(client + " " + phase + " " + f[1], k -> new Samples());
              }
              synchronized (s) {
                if (f[2].equals("ok")) {
                  s.okMs.add(Long.parseLong(f[3]) / 1000.0);
                } else {
                  s.failed++;
                }
              }
            }
          });
          System.out.println(client + " " + phase + ": " + (result.exitCode() == 0 ? "done" : "exit " + result.exitCode()));
          if (result.exitCode() != 0) {
            System.err.println(result.stderr());
          }
        }
      }
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("client", "stock: next after cut", "h2fix: next after cut", "stock: fresh connection",
        "h2fix: fresh connection"));
    Map<String, Object> json = new LinkedHashMap<>();
    for (String client : options.clients) {
      List<String> row = new ArrayList<>(List.of(client));
      Map<String, Object> c = new LinkedHashMap<>();
      for (String key : List.of("stock next", "h2fix next", "stock fresh", "h2fix fresh")) {
        Samples s = samples.getOrDefault(client + " " + key, new Samples());
        double median = Medians.of(s.okMs);
        row.add(OverheadBench.fmt(median, 1) + " ms, " + s.failed + "/" + (s.failed + s.okMs.size()) + " failed");
        c.put(key.replace(' ', '_'), Map.of("medianMs", median, "failed", s.failed, "ok", s.okMs.size()));
      }
      rows.add(row);
      json.put(client, c);
    }
    System.out.println();
    TablePrinter.print(System.out, "Recovery: the request after every connection was reset (median latency of those that"
        + " succeeded; failures)", rows);
    if (options.json != null) {
      Files.writeString(options.json, Json.write(json), StandardCharsets.UTF_8);
    }
    return 0;
  }
}
