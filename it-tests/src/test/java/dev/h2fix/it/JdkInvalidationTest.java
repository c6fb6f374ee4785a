package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchControl;
import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.jdk.GoAwayRefused;
import dev.h2fix.scenarios.jdk.NeverSent;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invalidation first, JDK HttpClient: an h2fix InvalidationListener learns of a dead connection
 * (FIN, RST, GOAWAY) before the failure callback of a request on it runs. Stock has no such
 * listener call at all: the listener is registered in both runs and counts 0 without the agent.
 */
@ExtendWith(BenchExtension.class)
class JdkInvalidationTest {
  private static final int ROUNDS = 5;
  private static BenchServer bench;
  private static BenchControl control;

  private static ScenarioOutcome run(Class<?> scenario, String jdk, String tag, boolean agent, Object... args) {
    return Jdks.runScenario(bench, control, scenario, jdk, tag, agent, java.time.Duration.ofSeconds(180), args);
  }

  @ParameterizedTest(name = "java {0} {1}")
  @CsvSource({"17, FIN_ALL", "17, RST_ALL", "25, FIN_ALL", "25, RST_ALL"})
  void listenerIsToldBeforeTheStreamFails(String jdk, String fault) {
    String base = "inval-" + jdk + "-" + fault;
    ScenarioOutcome stock = run(NeverSent.class, jdk, base + "-stock", false, "--fault=" + fault, "--rounds=" + ROUNDS);
    ScenarioOutcome patched = run(NeverSent.class, jdk, base + "-agent", true, "--fault=" + fault, "--rounds=" + ROUNDS);
    assertEquals(ROUNDS, stock.count("probe.failed"), stock.toString());
    assertEquals(0, stock.countOrZero("probe.listenerFirst"), stock.toString());
    assertEquals(ROUNDS, patched.count("probe.failed"), patched.toString());
    assertEquals(ROUNDS, patched.countOrZero("probe.listenerFirst"), "listener before the stream callback\n" + patched);
    assertEquals(ROUNDS, patched.count("agent.stats.sessionsInvalidatedEarly"), "once per dead connection\n" + patched);
    System.out.printf("FIGURES jdk-invalidation java %s %s | stock: listener first %d/%d | h2fix: %d/%d%n",
        jdk, fault, stock.countOrZero("probe.listenerFirst"), ROUNDS, patched.countOrZero("probe.listenerFirst"), ROUNDS);
  }

  /** GOAWAY: every GOAWAY'd connection is reported once, on 17 (where it shuts down) and 25 (graceful). */
  @ParameterizedTest(name = "java {0}")
  @CsvSource({"17", "25"})
  void goAwayIsReportedOncePerConnection(String jdk) {
    ScenarioOutcome patched = run(GoAwayRefused.class, jdk, "inval-goaway-" + jdk, true, "--rounds=" + ROUNDS);
    // One GOAWAY'd connection per round; the replays' connections stay alive until the next round's
    // warm-up reuses them, so at least ROUNDS and at most one per connection opened.
    long invalidated = patched.count("agent.stats.sessionsInvalidatedEarly");
    assertTrue(invalidated >= ROUNDS && invalidated <= 2L * ROUNDS, patched.toString());
  }
}
