package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.scenarios.LogLineWatch;
import dev.h2fix.scenarios.Noop;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up line with the JDK's default logging: held back for the application's start-up
 * (2 s after premain), written while the JVM runs after that, and written once at exit by a JVM
 * that ends sooner, in java.util.logging's own format.
 */
class StartupLineTest {
  /** Premain to the line: the hold-back is 2 s; the JVM's start before premain only adds to it. */
  private static final long HOLD_MS = 2_000;

  @Test
  void aJvmThatEndsDuringTheHoldBackWritesTheLineOnceAtExitInTheDefaultFormat() {
    ScenarioOutcome outcome = ForkedScenario.of(Noop.class).withAgent(true).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    List<String> lines = outcome.stderr().lines().toList();
    int at = -1;
    int count = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("INFO: h2fix: ") && lines.get(i).contains(" installed in ")) {
        at = i;
        count++;
      }
    }
    assertEquals(1, count, "one start-up line:\n" + outcome.stderr());
    assertTrue(at > 0 && lines.get(at - 1).endsWith(" dev.h2fix.runtime.LogWriter write"),
        "java.util.logging's default two-line format, as through System.Logger:\n" + outcome.stderr());
  }

  @Test
  void theLineComesWhileTheJvmRunsOnceTheHoldBackIsOver() {
    ScenarioOutcome outcome = ForkedScenario.of(LogLineWatch.class).withAgent(true).args(30_000).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(1, outcome.count("lineSeenWhileRunning"), outcome.toString());
    assertTrue(outcome.count("lineSeenAtMs") >= HOLD_MS, "held back for the start-up:\n" + outcome);
  }
}
