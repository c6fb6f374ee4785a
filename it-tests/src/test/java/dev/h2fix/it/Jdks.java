package dev.h2fix.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The second JDK every scenario family also runs on: Temurin 25, where the machine has it. */
final class Jdks {
  static final Path JDK25 = Path.of(System.getProperty("h2fix.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  private Jdks() {}

  /**
   * The Java home for a test parameter: "25" is Temurin 25 (the test is skipped where the machine
   * has none), anything else the JDK running the tests.
   */
  static Path home(String jdk) {
    if (jdk.equals("25")) {
      Assumptions.assumeTrue(hasJdk25(), "no JDK 25 at " + JDK25);
      return JDK25;
    }
    return Path.of(System.getProperty("java.home"));
  }

  static boolean hasJdk25() {
    return Files.isExecutable(JDK25.resolve("bin").resolve("java"));
  }

  /**
   * Runs a JDK-client scenario on {@code jdk} ("17" or "25") against the bench, with its control
   * port, in a forked JVM (with or without the agent), and asserts it exited 0.
   */
  static ScenarioOutcome runScenario(dev.h2fix.bench.BenchServer bench, dev.h2fix.bench.BenchControl control,
      Class<?> scenario, String jdk, String tag, boolean agent, java.time.Duration timeout, Object... args) {
    ScenarioOutcome o = ForkedScenario.of(scenario).javaHome(home(jdk)).withAgent(agent).timeout(timeout)
        .args(Bench.clientArgs(bench, tag, 0)).args("--control=" + control.port()).args(args).run();
    org.junit.jupiter.api.Assertions.assertEquals(0, o.exitCode(), o.toString());
    return o;
  }
}
