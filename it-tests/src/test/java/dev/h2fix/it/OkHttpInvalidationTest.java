package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.okhttp.CutInCallback;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invalidation first, OkHttp: when a call's failure callback runs after its connection died, the
 * pool no longer holds the dead connection, the pool's listener heard noNewExchanges (5.x), and
 * h2fix's listener ran. Sequential cuts, a second call sent from inside the callback.
 */
@ExtendWith(BenchExtension.class)
class OkHttpInvalidationTest {
  private static final int ITERATIONS = 40;
  private static BenchServer bench;

  private static ScenarioOutcome run(String client, String transport, String fault, boolean agent) {
    return run(client, transport, fault, agent, Path.of(System.getProperty("java.home")));
  }

  private static ScenarioOutcome run(String client, String transport, String fault, boolean agent, Path javaHome) {
    return run(client, transport, fault, agent, javaHome, 0);
  }

  /** With a ping interval, a quarter of the iterations: each waits for the ping to time out. */
  private static ScenarioOutcome run(
      String client, String transport, String fault, boolean agent, Path javaHome, int pingMillis) {
    int iterations = pingMillis > 0 ? ITERATIONS / 4 : ITERATIONS;
    String tag = "inv-" + client + "-" + transport + "-" + fault + "-" + javaHome.getFileName() + (agent ? "-agent" : "-stock");
    ScenarioOutcome outcome = ForkedScenario.of(CutInCallback.class).client(client).withAgent(agent).javaHome(javaHome)
        .args(Bench.clientArgs(bench, tag, 0)).args("--transport=" + transport, "--fault=" + fault,
            "--iterations=" + iterations, "--pingMillis=" + pingMillis).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(iterations, outcome.count("first.failed"), outcome.toString());
    assertEquals(iterations, outcome.count("second.ok"), "the call sent from the callback succeeds\n" + outcome);
    return outcome;
  }

  @ParameterizedTest(name = "{0} {1} RST")
  @CsvSource({
    "okhttp-5.5.1, h2c", "okhttp-5.5.1, tls",
    "okhttp-5.0.0, h2c", "okhttp-5.0.0, tls",
    "okhttp-4.12.0, h2c", "okhttp-4.12.0, tls",
  })
  void resetConnection(String client, String transport) {
    boolean five = !client.startsWith("okhttp-4");
    ScenarioOutcome stock = run(client, transport, "rst", false);
    // The stock failure: the dead connection is still in the pool when the callback runs.
    assertEquals(ITERATIONS, stock.countOrZero("cb.deadConnectionInPool"), stock.toString());
    assertEquals(ITERATIONS, stock.countOrZero("cb.h2fixListenerSilent"), stock.toString());
    if (five) {
      assertEquals(ITERATIONS, stock.countOrZero("cb.noNewExchangesSilent"), stock.toString());
    }

    ScenarioOutcome patched = run(client, transport, "rst", true);
    assertEquals(ITERATIONS, patched.countOrZero("cb.poolEmpty"), patched.toString());
    assertEquals(ITERATIONS, patched.countOrZero("cb.h2fixListenerRan"), patched.toString());
    if (five) {
      assertEquals(ITERATIONS, patched.countOrZero("cb.noNewExchangesFired"), patched.toString());
    }
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
  }

  @ParameterizedTest(name = "{0} ping timeout")
  @CsvSource({"okhttp-5.5.1", "okhttp-4.12.0"})
  void pingTimeout(String client) {
    // The peer goes silent; OkHttp's ping times out on its writer thread, not the reader. Stock
    // retires the connection through the failed call; h2fix's listener must have run first.
    ScenarioOutcome stock = run(client, "h2c", "stall", false, Path.of(System.getProperty("java.home")), 200);
    assertEquals(ITERATIONS / 4, stock.countOrZero("cb.h2fixListenerSilent"), stock.toString());
    ScenarioOutcome patched = run(client, "h2c", "stall", true, Path.of(System.getProperty("java.home")), 200);
    assertEquals(ITERATIONS / 4, patched.countOrZero("cb.h2fixListenerRan"), patched.toString());
    assertEquals(ITERATIONS / 4, patched.countOrZero("cb.poolEmpty"), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
  }

  @Test
  void resetConnectionOnJava25() {
    Assumptions.assumeTrue(Jdks.hasJdk25(), "no JDK 25 at " + Jdks.JDK25);
    ScenarioOutcome stock = run("okhttp-5.5.1", "tls", "rst", false, Jdks.JDK25);
    assertEquals(ITERATIONS, stock.countOrZero("cb.deadConnectionInPool"), stock.toString());
    ScenarioOutcome patched = run("okhttp-5.5.1", "tls", "rst", true, Jdks.JDK25);
    assertEquals(ITERATIONS, patched.countOrZero("cb.poolEmpty"), patched.toString());
    assertEquals(ITERATIONS, patched.countOrZero("cb.h2fixListenerRan"), patched.toString());
    assertEquals(ITERATIONS, patched.countOrZero("cb.noNewExchangesFired"), patched.toString());
  }

  @ParameterizedTest(name = "{0} {1} FIN")
  @CsvSource({"okhttp-5.5.1, h2c", "okhttp-5.5.1, tls", "okhttp-4.12.0, h2c"})
  void peerClosedConnection(String client, String transport) {
    // On a clean EOF stock OkHttp already retires the connection through the failed call; what it
    // never does is tell anyone before the callback. h2fix's listener must have run by then.
    ScenarioOutcome stock = run(client, transport, "fin", false);
    assertEquals(ITERATIONS, stock.countOrZero("cb.h2fixListenerSilent"), stock.toString());
    ScenarioOutcome patched = run(client, transport, "fin", true);
    assertEquals(ITERATIONS, patched.countOrZero("cb.h2fixListenerRan"), patched.toString());
    assertEquals(ITERATIONS, patched.countOrZero("cb.poolEmpty"), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
  }
}
