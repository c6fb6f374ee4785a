package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.InstallTwice;
import org.junit.jupiter.api.Test;

/** H2Fix.install() patches a running JVM without a flag, and a second call does nothing. */
class InstallInProcessTest {

  @Test
  void installTwiceThenHealthyExchange() throws Exception {
    try (BenchServer bench = BenchServer.start()) {
      ScenarioOutcome outcome =
          ForkedScenario.of(InstallTwice.class).client("okhttp-5.5.1").agentOnClasspath()
              .args(Bench.clientArgs(bench, "install", 4)).run();
      assertEquals(0, outcome.exitCode(), outcome.toString());
      assertEquals(0, outcome.count("installedBefore"));
      assertEquals(1, outcome.count("installedAfterFirst"));
      assertEquals(1, outcome.count("installedAfterSecond"));
      assertEquals(1, outcome.count("runtimeOnBootstrap"));
      assertEquals(8, outcome.count("ok"), outcome.toString());
      assertEquals(1, outcome.count("agent.patched.okhttp"), outcome.toString());
      assertEquals(1, outcome.stderr().split(" installed in ", -1).length - 1, "one start-up line:\n" + outcome);
    }
  }
}
