package dev.h2fix.chaos;

import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar h2fix-chaos.jar [options]}: the chaos run; {@code ... bench KIND [options]}: a
 * benchmark. Exit 0: passed; 1: the h2fix phase had never-sent failures, duplicates or hung
 * requests; 2: bad options, or the run could not be carried out.
 */
public final class ChaosMain {
  private ChaosMain() {}

  public static void main(String[] args) {
    // Jetty logs through SLF4J; without a provider SLF4J prints three warning lines at start. Quiet.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    System.exit(run(args));
  }

  /** Runs with {@code args} and returns the exit code (for tests: does not exit). */
  public static int run(String[] args) {
    try {
      if (args.length > 0 && args[0].equals("bench")) {
        return Benchmarks.run(Arrays.copyOfRange(args, 1, args.length));
      }
      ChaosOptions options = ChaosOptions.parse(args);
      if (options.help) {
        System.out.print(ChaosOptions.usage());
        return 0;
      }
      return chaos(options);
    } catch (OptionException e) {
      System.err.println("h2fix-chaos: " + e.getMessage());
      System.err.println("Run with --help for the options.");
      return 2;
    } catch (Exception e) {
      System.err.println("h2fix-chaos: the run failed: " + e);
      e.printStackTrace();
      return 2;
    }
  }

  /** The chaos run with {@code options}: tables, files, exit code. */
  static int chaos(ChaosOptions options) throws Exception {
    {
      System.out.println("h2fix chaos run: " + ChaosRun.describe(options));
      List<PhaseFigures> figures = ChaosRun.run(options, Progress.forConsole());
      List<String> problems = Gate.problems(figures);
      ChaosReport report = new ChaosReport(options, figures, problems);
      report.printTables(System.out);
      if (options.json != null) {
        report.writeJson(options.json);
        System.out.println("JSON: " + options.json.toAbsolutePath());
      }
      if (options.report != null) {
        report.writeHtml(options.report);
        System.out.println("report: " + options.report.toAbsolutePath());
      }
      boolean incomplete = figures.stream().anyMatch(f -> !f.complete());
      return incomplete ? 2 : problems.isEmpty() ? 0 : 1;
    }
  }
}
