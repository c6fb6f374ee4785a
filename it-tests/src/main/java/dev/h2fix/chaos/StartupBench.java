package dev.h2fix.chaos;

import dev.h2fix.bench.BenchServer;
import dev.h2fix.chaos.child.Drivers;
import dev.h2fix.chaos.child.StartupProbe;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Start-up: a small client program ({@link StartupProbe}) from JVM start to its first HTTP/2
 * response, against the bench server already running in this JVM (direct port, no proxy), with and
 * without the agent, {@code --runs} runs each, interleaved; medians and their difference, and the
 * agent's own installation time from its start-up line.
 */
final class StartupBench {
  private StartupBench() {}

  static int run(ChaosOptions options) throws Exception {
    Path agent = Locations.agent(options.agent);
    String classpath = Locations.childClasspath(options.childClasspath);
    Progress progress = Progress.forConsole();
    Map<String, Map<String, List<Double>>> times = new LinkedHashMap<>();
    Map<String, List<Double>> install = new LinkedHashMap<>();
    int failures = 0;
    try (BenchServer bench = BenchServer.start()) {
      for (int run = 0; run < options.runs; run++) {
        for (String client : options.clients) {
          List<String> order = run % 2 == 0 ? List.of("stock", "h2fix") : List.of("h2fix", "stock");
          for (String phase : order) {
            boolean tls = Drivers.usesTls(client);
            List<String> args = List.of("client=" + client, "port=" + (tls ? bench.tlsPort() : bench.h2cPort()),
                "keystore=" + bench.certificate().keystorePath(), "password=" + bench.certificate().password(),
                "timeoutMs=" + Math.max(options.timeoutMs, 60_000), "concurrency=1"); // measure a slow start, not fail it
            List<String> command = ChildJvm.command(options.javaHome, phase.equals("h2fix") ? agent : null, classpath,
                List.of(), StartupProbe.class, args);
            AtomicLong firstAt = new AtomicLong();
            long start = System.nanoTime();
            ChildJvm.Result result = ChildJvm.run(command, Duration.ofSeconds(120), line -> {
              if (line.startsWith("FIRST ok")) {
                firstAt.compareAndSet(0, System.nanoTime());
              }
            });
            if (result.exitCode() != 0 || firstAt.get() == 0) {
              failures++;
              System.err.println("startup run failed (" + client + ", " + phase + "): " + result.stderr());
              continue;
            }
            double ms = (firstAt.get() - start) / 1e6;
            times.computeIfAbsent(client, c -> new LinkedHashMap<>()).computeIfAbsent(phase, p -> new ArrayList<>()).add(ms);
            Double installMs = AgentLine.installMillis(result.stderr());
            if (installMs != null) {
              install.computeIfAbsent(client, c -> new ArrayList<>()).add(installMs);
            }
            progress.line("run " + (run + 1) + "/" + options.runs + ", " + client + " " + phase + ": "
                + OverheadBench.fmt(ms, 0) + " ms" + (failures > 0 ? " (" + failures + " runs failed)" : ""));
          }
        }
      }
    }
    progress.done("start-up runs done, " + failures + " failed");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("client", "runs", "stock median ms", "h2fix median ms", "added ms", "agent install ms (median)"));
    Map<String, Object> json = new LinkedHashMap<>();
    for (String client : options.clients) {
      Map<String, List<Double>> byPhase = times.getOrDefault(client, Map.of());
      double stock = Medians.of(byPhase.getOrDefault("stock", List.of()));
      double h2fix = Medians.of(byPhase.getOrDefault("h2fix", List.of()));
      double installed = Medians.of(install.getOrDefault(client, List.of()));
      rows.add(List.of(client, String.valueOf(byPhase.getOrDefault("h2fix", List.of()).size()),
          OverheadBench.fmt(stock, 1), OverheadBench.fmt(h2fix, 1), OverheadBench.fmt(h2fix - stock, 1),
          OverheadBench.fmt(installed, 1)));
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("stockMedianMs", stock);
      c.put("h2fixMedianMs", h2fix);
      c.put("addedMs", h2fix - stock);
      c.put("agentInstallMedianMs", installed);
      c.put("stockMs", byPhase.getOrDefault("stock", List.of()));
      c.put("h2fixMs", byPhase.getOrDefault("h2fix", List.of()));
      json.put(client, c);
    }
    System.out.println();
    TablePrinter.print(System.out, "Start-up: JVM start to first HTTP/2 response (target: <= 50 ms added at the median)", rows);
    if (options.json != null) {
      Files.writeString(options.json, Json.write(json), StandardCharsets.UTF_8);
    }
    return failures == 0 ? 0 : 2;
  }
}
