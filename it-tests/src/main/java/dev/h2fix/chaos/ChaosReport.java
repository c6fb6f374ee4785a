package dev.h2fix.chaos;

import dev.h2fix.chaos.report.BarChart;
import dev.h2fix.chaos.report.Html;
import dev.h2fix.chaos.report.Json;
import dev.h2fix.chaos.report.TablePrinter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chaos run's figures as text tables, as JSON, and as an HTML page with a chart per client. */
final class ChaosReport {
  private final ChaosOptions options;
  private final List<PhaseFigures> figures;
  private final List<String> problems;

  ChaosReport(ChaosOptions options, List<PhaseFigures> figures, List<String> problems) {
    this.options = options;
    this.figures = figures;
    this.problems = problems;
  }

  /** The phases of {@code client}, in run order. */
  private List<PhaseFigures> of(String client) {
    List<PhaseFigures> out = new ArrayList<>();
    for (PhaseFigures f : figures) {
      if (f.client().equals(client)) {
        out.add(f);
      }
    }
    return out;
  }

  private List<List<String>> table(List<PhaseFigures> phases) {
    List<List<String>> rows = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of(""));
    phases.forEach(f -> head.add(Rows.heading(f)));
    rows.add(head);
    for (Rows.Row row : Rows.ALL) {
      List<String> cells = new ArrayList<>(List.of(row.label()));
      phases.forEach(f -> cells.add(row.value().apply(f)));
      rows.add(cells);
    }
    return rows;
  }

  void printTables(PrintStream out) {
    out.println();
    out.println("Load: " + ChaosRun.describe(options));
    out.println();
    for (String client : options.clients) {
      List<PhaseFigures> phases = of(client);
      if (!phases.isEmpty()) {
        TablePrinter.print(out, ChaosRun.label(client), table(phases));
      }
    }
    resources(out);
    out.println("never sent: the client's failure says the request never left it and the server has no record of it"
        + " (what h2fix reroutes). After send: the request was on the wire; the server got it, or it was lost with"
        + " the connection (\"of which the server never got\"): not h2fix's to replay.");
    out.println(problems.isEmpty()
        ? "PASS: with h2fix, on every patched client: no never-sent failure, no duplicate, nothing hung."
        : "FAIL: " + String.join("; ", problems));
  }

  /** With the soak's resource check: threads, heap and open files in each child, before vs after the load. */
  private void resources(PrintStream out) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("", "threads", "heap MB", "open files", "back to baseline"));
    for (PhaseFigures f : figures) {
      Map<String, Long> x = f.extra();
      if (x.containsKey("threadsBefore")) {
        boolean back = new dev.h2fix.chaos.child.Resources((int) (long) x.get("threadsAfter"), x.get("heapAfter"),
            x.get("filesAfter")).within(new dev.h2fix.chaos.child.Resources((int) (long) x.get("threadsBefore"),
            x.get("heapBefore"), x.get("filesBefore")));
        rows.add(List.of(f.client() + " [" + f.phase() + "]", x.get("threadsBefore") + " -> " + x.get("threadsAfter"),
            x.get("heapBefore") / (1024 * 1024) + " -> " + x.get("heapAfter") / (1024 * 1024),
            x.get("filesBefore") + " -> " + x.get("filesAfter"), back ? "yes" : "NO"));
      }
    }
    if (rows.size() > 1) {
      TablePrinter.print(out, "Resources in the child JVM, after warm-up -> after the load", rows);
    }
  }

  Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("generated", Instant.now().toString());
    Map<String, Object> load = new LinkedHashMap<>();
    load.put("description", ChaosRun.describe(options));
    load.put("requestsPerPhase", options.durationMs > 0 ? null : options.requests);
    load.put("durationMs", options.durationMs);
    load.put("concurrency", options.concurrency);
    load.put("faults", options.faults.toString());
    load.put("faultRate", options.faultRate);
    load.put("seed", options.seed);
    load.put("postShare", options.postShare);
    load.put("oneShotShare", options.oneShotShare);
    load.put("timeoutMs", options.timeoutMs);
    load.put("java", System.getProperty("java.version"));
    root.put("load", load);
    List<Object> clients = new ArrayList<>();
    for (String client : options.clients) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("client", client);
      c.put("label", ChaosRun.label(client));
      Map<String, Object> phases = new LinkedHashMap<>();
      for (PhaseFigures f : of(client)) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("agent", f.agent());
        p.put("patched", f.patched());
        p.put("exitCode", f.exitCode());
        p.put("requests", f.requests());
        p.put("succeeded", f.succeeded());
        p.put("neverSent", f.neverSent());
        p.put("neverSentOneShot", f.neverSentOneShot());
        p.put("neverSentAfterReplay", f.neverSentAfterReplay());
        p.put("afterSend", f.afterSend());
        p.put("lostInTransit", f.lostInTransit());
        p.put("duplicates", f.duplicates());
        p.put("hung", f.hung());
        p.put("rerouted", f.rerouted());
        p.put("declined", f.declined());
        p.put("p50ms", f.p50us() / 1000.0);
        p.put("p99ms", f.p99us() / 1000.0);
        p.put("elapsedMs", f.elapsedMs());
        p.put("throughput", f.throughput());
        p.put("extra", new LinkedHashMap<>(f.extra()));
        p.put("failures", new LinkedHashMap<>(f.failureKinds()));
        phases.put(f.phase(), p);
      }
      c.put("phases", phases);
      clients.add(c);
    }
    root.put("clients", clients);
    root.put("passed", problems.isEmpty());
    root.put("problems", problems);
    return root;
  }

  void writeJson(Path file) throws IOException {
    Files.writeString(file, Json.write(json()), StandardCharsets.UTF_8);
  }

  void writeHtml(Path file) throws IOException {
    StringBuilder html = new StringBuilder("""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>h2fix chaos run</title>
        <style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}
        table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{padding:2px 10px;border-bottom:1px solid #ddd}
        td:not(:first-child),th:not(:first-child){text-align:right}.pass{color:#2e7d32}.fail{color:#c62828}</style>
        </head><body>
        <h1>h2fix chaos run</h1>
        """);
    html.append("<p>").append(Html.escape(ChaosRun.describe(options))).append(". Java ")
        .append(Html.escape(System.getProperty("java.version"))).append(", ").append(Instant.now()).append(".</p>\n");
    html.append(problems.isEmpty()
        ? "<p class=\"pass\"><b>PASS</b>: with h2fix, no never-sent failure on a patched client, no duplicate, nothing hung.</p>\n"
        : "<p class=\"fail\"><b>FAIL</b>: " + Html.escape(String.join("; ", problems)) + "</p>\n");
    for (String client : options.clients) {
      List<PhaseFigures> phases = of(client);
      if (phases.isEmpty()) {
        continue;
      }
      html.append("<h2>").append(Html.escape(ChaosRun.label(client))).append("</h2>\n");
      List<String> series = new ArrayList<>();
      phases.forEach(f -> series.add(Rows.heading(f)));
      List<BarChart.Group> groups = List.of(
          group("never sent", phases, PhaseFigures::neverSent),
          group("never sent, one-shot", phases, PhaseFigures::neverSentOneShot),
          group("after send", phases, PhaseFigures::afterSend),
          group("duplicates", phases, PhaseFigures::duplicates),
          group("hung", phases, PhaseFigures::hung));
      html.append(BarChart.svg("failures by kind, " + client, series, groups));
      html.append("<table>\n");
      List<List<String>> rows = table(phases);
      for (int r = 0; r < rows.size(); r++) {
        html.append("<tr>");
        for (String cell : rows.get(r)) {
          String tag = r == 0 ? "th" : "td";
          html.append('<').append(tag).append('>').append(Html.escape(cell)).append("</").append(tag).append('>');
        }
        html.append("</tr>\n");
      }
      html.append("</table>\n");
    }
    html.append("<p><i>never sent</i>: the client's failure says the request never left it and the server has no"
        + " record of it: what h2fix reroutes. <i>after send</i>: the request was on the wire; the server got it,"
        + " or it was lost with the connection: not h2fix's to replay.</p>\n</body></html>\n");
    Files.writeString(file, html.toString(), StandardCharsets.UTF_8);
  }

  private static BarChart.Group group(String label, List<PhaseFigures> phases,
      java.util.function.ToLongFunction<PhaseFigures> value) {
    long[] values = new long[phases.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = value.applyAsLong(phases.get(i));
    }
    return new BarChart.Group(label, values);
  }
}
