package dev.h2fix.chaos;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The rows of a client's table, shared by the text table, the JSON and the HTML page. */
final class Rows {
  /** One row: its label, its JSON key, and how to read it from a phase's figures. */
  record Row(String label, String key, Function<PhaseFigures, String> value) {}

  static final List<Row> ALL = List.of(
      new Row("requests", "requests", f -> Long.toString(f.requests())),
      new Row("succeeded", "succeeded", f -> Long.toString(f.succeeded())),
      new Row("failed, never sent", "neverSent", f -> Long.toString(f.neverSent())),
      new Row("failed, never sent, one-shot body", "neverSentOneShot", f -> Long.toString(f.neverSentOneShot())),
      new Row("failed, refused again after h2fix's replay", "neverSentAfterReplay",
          f -> Long.toString(f.neverSentAfterReplay())),
      new Row("failed after send", "afterSend", f -> Long.toString(f.afterSend())),
      new Row("  of which the server never got", "lostInTransit", f -> Long.toString(f.lostInTransit())),
      new Row("duplicates", "duplicates", f -> Long.toString(f.duplicates())),
      new Row("hung", "hung", f -> Long.toString(f.hung())),
      new Row("reroutes (h2fix)", "rerouted", f -> f.agent() ? Long.toString(f.rerouted()) : "-"),
      new Row("p50 latency ms", "p50ms", f -> millis(f.p50us())),
      new Row("p99 latency ms", "p99ms", f -> millis(f.p99us())),
      new Row("throughput req/s", "throughput", f -> String.format(Locale.ROOT, "%.0f", f.throughput())));

  private Rows() {}

  static String millis(long micros) {
    return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
  }

  /** The column heading of a phase. */
  static String heading(PhaseFigures f) {
    if (!f.agent()) {
      return "stock";
    }
    return f.patched() ? "h2fix" : "h2fix (not patched: stock)";
  }
}
