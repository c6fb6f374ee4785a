package dev.h2fix.chaos;

import dev.h2fix.chaos.child.Drivers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chaos run's options, {@code --name=value} or {@code --name value}. Every bad option or value
 * throws {@link OptionException} naming it and what is valid.
 */
public final class ChaosOptions {
  /** Option name to its help text; the order of {@code --help}. */
  static final Map<String, String> HELP = new LinkedHashMap<>();

  static {
    HELP.put("clients", "LIST      clients to drive: " + String.join(",", Drivers.NAMES) + " (default: all)");
    HELP.put("concurrency", "N     requests in flight per client (default 8)");
    HELP.put("requests", "N        requests per client and phase (default 600)");
    HELP.put("duration", "TIME     run each client and phase for TIME instead (e.g. 90s, 10m)");
    HELP.put("faults", "LIST       fault mix, kind[:weight],...: " + FaultKind.validIds() + " (default: all, weight 1)");
    HELP.put("fault-rate", "R      share of requests that carry a fault, 0..1 (default 0.03)");
    HELP.put("seed", "N          schedule seed: the same seed gives the same schedule (default 42)");
    HELP.put("post-share", "R      share of POSTs, the rest GETs (default 0.5)");
    HELP.put("one-shot-share", "R  share of the POSTs whose body cannot be replayed (default 0.5)");
    HELP.put("timeout", "TIME       request timeout; a request that hits it counts as hung (default 10s)");
    HELP.put("warmup", "N          healthy requests per phase before the load, not counted (default 50)");
    HELP.put("phases", "LIST       stock,h2fix or one of them (default both)");
    HELP.put("soak", "             long run: duration 10m unless given, resource check in the child");
    HELP.put("json", "FILE         write the figures as JSON");
    HELP.put("report", "FILE       write a self-contained HTML page with a chart");
    HELP.put("agent", "PATH        h2fix.jar (default: agent/target/h2fix.jar next to this jar, or in .)");
    HELP.put("java", "HOME         JDK for the child JVMs (default: this one)");
    HELP.put("child-classpath", "CP  class path of the child JVMs (default: this jar)");
    HELP.put("rounds", "N          bench overhead: interleaved rounds per client and phase (default 3)");
    HELP.put("runs", "N            bench startup / recovery: runs per phase (default 20 / 30)");
    HELP.put("help", "             this text");
  }

  List<String> clients = List.of(Drivers.NAMES);
  int concurrency = 8;
  long requests = 600;
  long durationMs;
  FaultMix faults = FaultMix.all();
  double faultRate = 0.03;
  long seed = 42;
  double postShare = 0.5;
  double oneShotShare = 0.5;
  long timeoutMs = 10_000;
  int warmup = 50;
  List<String> phases = List.of("stock", "h2fix");
  boolean soak;
  Path json;
  Path report;
  Path agent;
  Path javaHome = Path.of(System.getProperty("java.home"));
  String childClasspath;
  boolean help;
  private boolean soakGiven;
  private boolean countGiven;
  int rounds = 3;
  int runs;

  public static ChaosOptions parse(String[] args) {
    return parse(args, new ChaosOptions());
  }

  /** Parses {@code args} over {@code options} (a benchmark's defaults). */
  static ChaosOptions parse(String[] args, ChaosOptions options) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new OptionException("unexpected argument '" + arg + "'. Options start with --; valid options: "
            + validNames());
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!HELP.containsKey(name)) {
        throw new OptionException("unknown option '--" + name + "'. Valid options: " + validNames());
      }
      boolean flag = name.equals("soak") || name.equals("help");
      if (flag) {
        if (value != null) {
          throw new OptionException("option --" + name + " takes no value");
        }
      } else if (value == null) {
        if (i + 1 >= args.length) {
          throw new OptionException("option --" + name + " needs a value: --" + name + " " + HELP.get(name).trim());
        }
        value = args[++i];
      }
      options.set(name, value);
    }
    if (options.soakGiven && !options.countGiven) {
      options.durationMs = 600_000; // --soak alone: ten minutes per client
    }
    return options;
  }

  private void set(String name, String value) {
    switch (name) {
      case "clients" -> clients = clients(value);
      case "concurrency" -> concurrency = (int) number(name, value, 1, 512);
      case "requests" -> {
        requests = number(name, value, 1, 100_000_000);
        durationMs = 0;
        countGiven = true;
      }
      case "duration" -> {
        durationMs = Durations.parse(name, value, 1_000, 7 * 24 * 3_600_000L);
        countGiven = true;
      }
      case "faults" -> {
        try {
          faults = FaultMix.parse(value);
        } catch (IllegalArgumentException e) {
          throw new OptionException("bad value '" + value + "' for --faults: " + e.getMessage());
        }
      }
      case "fault-rate" -> faultRate = share(name, value);
      case "seed" -> seed = number(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
      case "post-share" -> postShare = share(name, value);
      case "one-shot-share" -> oneShotShare = share(name, value);
      case "timeout" -> timeoutMs = Durations.parse(name, value, 100, 600_000);
      case "warmup" -> warmup = (int) number(name, value, 0, 1_000_000);
      case "phases" -> phases = phases(value);
      case "soak" -> {
        soak = true;
        soakGiven = true;
      }
      case "json" -> json = Path.of(value);
      case "report" -> report = Path.of(value);
      case "agent" -> agent = Path.of(value);
      case "java" -> javaHome = Path.of(value);
      case "child-classpath" -> childClasspath = value;
      case "help" -> help = true;
      case "rounds" -> rounds = (int) number(name, value, 1, 1000);
      case "runs" -> runs = (int) number(name, value, 1, 10_000);
      default -> throw new IllegalStateException(name);
    }
  }

  static String validNames() {
    List<String> names = new ArrayList<>();
    HELP.keySet().forEach(n -> names.add("--" + n));
    return String.join(", ", names);
  }

  private static List<String> clients(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (!Arrays.asList(Drivers.NAMES).contains(name)) {
        throw new OptionException("unknown client '" + part.trim() + "' in --clients. Valid clients: "
            + String.join(", ", Drivers.NAMES));
      }
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    if (out.isEmpty()) {
      throw new OptionException("--clients names no client. Valid clients: " + String.join(", ", Drivers.NAMES));
    }
    return List.copyOf(out);
  }

  private static List<String> phases(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (!name.equals("stock") && !name.equals("h2fix")) {
        throw new OptionException("unknown phase '" + part.trim() + "' in --phases. Valid phases: stock, h2fix");
      }
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    if (out.isEmpty()) {
      throw new OptionException("--phases names no phase. Valid phases: stock, h2fix");
    }
    return List.copyOf(out);
  }

  static long number(String name, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new OptionException("bad value '" + value + "' for --" + name + ": an integer " + min + ".." + max);
    }
    if (n < min || n > max) {
      throw new OptionException("bad value '" + value + "' for --" + name + ": an integer " + min + ".." + max);
    }
    return n;
  }

  private static double share(String name, String value) {
    double d;
    try {
      d = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (!(d >= 0 && d <= 1)) {
      throw new OptionException("bad value '" + value + "' for --" + name + ": a number 0..1 (e.g. 0.05)");
    }
    return d;
  }

  /** The {@code --help} text. */
  public static String usage() {
    StringBuilder out = new StringBuilder();
    out.append("""
        h2fix chaos run: starts a local HTTP/2 server behind a fault-injecting proxy on 127.0.0.1, then
        drives each client twice with the same scheduled load and faults, in child JVMs: stock, and
        with -javaagent:h2fix.jar. Prints one table per client, stock beside h2fix.

        Usage: java -jar it-tests/target/h2fix-chaos.jar [options]
               java -jar it-tests/target/h2fix-chaos.jar bench overhead|startup|recovery|soak [options]

        Options (--name=value or --name value):
        """);
    HELP.forEach((name, text) -> out.append("  --").append(name).append(' ').append(text).append('\n'));
    out.append("""

        Benchmarks (figures, see docs/BENCHMARKS.md): overhead (healthy server, with vs without the
        agent, interleaved rounds), startup (JVM start to first response, --runs each), recovery (the
        next request after a connection is cut), soak (long h2fix run with a resource check).

        Exit code: 0 when, on every client h2fix patches, the h2fix phase has no never-sent failure, no
        duplicate delivery and no hung request (with --soak: resources back to their baseline); 1 when
        it has; 2 on a bad option or a run that could not be carried out.
        """);
    return out.toString();
  }
}
