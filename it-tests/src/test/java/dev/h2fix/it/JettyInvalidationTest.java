package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.jetty.LowLevelCut;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invalidation first, Jetty's low-level HTTP2Client: when a stream's first callback runs after its
 * session died (FIN or RST under the stream, GOAWAY above it, idle timeout), the session listener's onClose (which clears the
 * application's session cache) and h2fix's InvalidationListener have already run, exactly once,
 * and a stream opened from inside the callback through the cache succeeds.
 */
class JettyInvalidationTest {
  private static final int ITERATIONS = Integer.getInteger("h2fix.jetty.iterations", 200);
  private static BenchServer bench;

  @BeforeAll
  static void startBench() throws Exception {
    bench = BenchServer.start();
  }

  @AfterAll
  static void stopBench() {
    bench.close();
  }

  private static ScenarioOutcome run(String client, String transport, String fault, boolean agent, int iterations) {
    String tag = "jinv-" + client + "-" + transport + "-" + fault + (agent ? "-agent" : "-stock");
    ScenarioOutcome outcome = ForkedScenario.of(LowLevelCut.class).client(client).withAgent(agent)
        .args(Bench.clientArgs(bench, tag, 0)).args("--transport=" + transport, "--fault=" + fault,
            "--iterations=" + iterations, "--idleTimeout=" + (fault.equals("idle") ? 300 : 0)).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(iterations, outcome.count("first.failed"), outcome.toString());
    return outcome;
  }

  /** Stock shows the race in (nearly) every iteration; h2fix closes it (residual: see below). */
  private static void check(String client, String transport, String fault, int iterations) {
    ScenarioOutcome stock = run(client, transport, fault, false, iterations);
    ScenarioOutcome patched = run(client, transport, fault, true, iterations);
    System.out.println("FIGURES jetty low-level " + client + " " + transport + " " + fault + ": dead session cached in"
        + " the stream callback stock " + stock.countOrZero("cb.deadSessionCached") + "/" + iterations
        + ", h2fix " + patched.countOrZero("cb.deadSessionCached") + "/" + iterations
        + "; request from the callback failed stock " + stock.countOrZero("second.failed")
        + ", h2fix " + patched.countOrZero("second.failed")
        + "; sessions with two onClose (stock race of input shutdown with SessionContainer's stop) stock "
        + stock.countOrZero("sessions.closedTwice") + ", h2fix " + patched.countOrZero("sessions.closedTwice"));
    // The stock failure: stream callbacks run before onClose, with the dead session still cached.
    assertTrue(stock.countOrZero("cb.deadSessionCached") >= iterations * 9 / 10, stock.toString());
    assertTrue(stock.countOrZero("second.failed") >= iterations * 9 / 10, stock.toString());
    assertEquals(iterations, stock.countOrZero("cb.h2fixListenerSilent"), stock.toString());

    // onClose is invoked before any stream callback. Residual: with TLS and RST a write failure on
    // another thread can fail a stream while the early onClose is still running (not yet cleared
    // the cache) on the reading thread; waiting for it there would block (measured ~1 in 300).
    assertTrue(patched.countOrZero("cb.afterOnClose") >= iterations - iterations / 100, patched.toString());
    assertTrue(patched.countOrZero("cb.deadSessionCached") <= iterations / 100, patched.toString());
    assertEquals(iterations, patched.countOrZero("cb.h2fixListenerRan"), patched.toString());
    assertTrue(patched.countOrZero("second.ok") >= iterations - iterations / 100, patched.toString());
    assertEquals(0, patched.countOrZero("sessions.closedTwice"), "onClose exactly once\n" + patched);
    assertEquals(1, patched.count("agent.patched.jetty"), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "jetty-12.1.14, h2c, fin", "jetty-12.1.14, h2c, rst", "jetty-12.1.14, tls, fin", "jetty-12.1.14, tls, rst",
    "jetty-12.0.36, h2c, fin", "jetty-12.0.36, h2c, rst", "jetty-12.0.36, tls, fin", "jetty-12.0.36, tls, rst",
  })
  void cutUnderStream(String client, String transport, String fault) {
    check(client, transport, fault, ITERATIONS);
  }

  /**
   * GOAWAY above the stream (failStreams with RetryableStreamException, no survivor), and the idle
   * timeout's halt path, which never calls Session.Listener.onFailure.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "jetty-12.1.14, h2c, goaway, 200", "jetty-12.0.36, tls, goaway, 200",
    "jetty-12.1.14, tls, idle, 30", "jetty-12.0.36, h2c, idle, 30",
  })
  void goAwayAndIdleTimeout(String client, String transport, String fault, int iterations) {
    check(client, transport, fault, iterations);
  }
}
