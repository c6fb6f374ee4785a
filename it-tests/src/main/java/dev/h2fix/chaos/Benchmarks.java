package dev.h2fix.chaos;

import java.util.Arrays;
import java.util.List;

/**
 * {@code bench overhead|startup|recovery|soak [options]}: figures, not tests. Each prints its
 * figures and, with {@code --json FILE}, writes them. docs/BENCHMARKS.md has the commands and results.
 */
final class Benchmarks {
  static final List<String> KINDS = List.of("overhead", "startup", "recovery", "soak");

  private Benchmarks() {}

  static int run(String[] args) throws Exception {
    if (args.length == 0 || !KINDS.contains(args[0])) {
      throw new OptionException("bench needs a kind: " + String.join("|", KINDS)
          + (args.length == 0 ? "" : " (got '" + args[0] + "')"));
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    ChaosOptions options = new ChaosOptions();
    switch (args[0]) {
      case "overhead" -> {
        options.faultRate = 0;
        options.requests = 2000;
        options.warmup = 500;
        options.clients = List.of("okhttp", "jetty-client", "jetty-http2", "jdk");
        return OverheadBench.run(ChaosOptions.parse(rest, options));
      }
      case "startup" -> {
        options.runs = 20;
        options.clients = List.of("okhttp", "jetty-client");
        return StartupBench.run(ChaosOptions.parse(rest, options));
      }
      case "recovery" -> {
        options.runs = 30;
        options.clients = List.of("okhttp", "jetty-client", "jetty-http2");
        return RecoveryBench.run(ChaosOptions.parse(rest, options));
      }
      default -> {
        // soak: the chaos run, h2fix phase only, long, with the resource check in the child.
        options.phases = List.of("h2fix");
        options.clients = List.of("okhttp", "jetty-client", "jetty-http2");
        options.requests = 70_000;
        options.soak = true;
        ChaosOptions parsed = ChaosOptions.parse(rest, options);
        return ChaosMain.chaos(parsed);
      }
    }
  }
}
