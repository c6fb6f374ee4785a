package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.jetty.LowLevelCut;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invalidation first, Jetty's low-level HTTP2Client: when a stream's first callback runs after its
 * session died (FIN or RST under the stream, GOAWAY above it, idle timeout), the session listener's onClose (which clears the
 * application's session cache) and h2fix's InvalidationListener have already run, exactly once,
 * and a stream opened from inside the callback through the cache succeeds.
 */
@ExtendWith(BenchExtension.class)
class JettyInvalidationTest {
  private static final int ITERATIONS = Integer.getInteger("h2fix.jetty.iterations", 200);
  /**
   * With h2fix, cuts run three times as often: two teardown paths of one session racing on two
   * threads (a failed write and the endpoint's close stopping the session) showed in 1 to 5 of 100
   * TLS+RST cuts before h2fix made the second path wait for the first one's onClose; 600 cuts
   * without one such overlap is the evidence that it is closed.
   */
  private static final int PATCHED_ITERATIONS = Integer.getInteger("h2fix.jetty.patchedIterations", 3 * ITERATIONS);
  private static BenchServer bench;

  private static ScenarioOutcome run(String client, String transport, String fault, boolean agent, int iterations) {
    String tag = "jinv-" + client + "-" + transport + "-" + fault + (agent ? "-agent" : "-stock");
    ScenarioOutcome outcome = ForkedScenario.of(LowLevelCut.class).client(client).withAgent(agent)
        .timeout(java.time.Duration.ofSeconds(60 + iterations / 2))
        .args(Bench.clientArgs(bench, tag, 0)).args("--transport=" + transport, "--fault=" + fault,
            "--iterations=" + iterations, "--idleTimeout=" + (fault.equals("idle") ? 300 : 0)).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(iterations, outcome.count("first.failed"), outcome.toString());
    return outcome;
  }

  /** Stock shows the race in (nearly) every iteration; h2fix closes it, every time. */
  private static void check(String client, String transport, String fault, int iterations, int patchedIterations) {
    ScenarioOutcome stock = run(client, transport, fault, false, iterations);
    ScenarioOutcome patched = run(client, transport, fault, true, patchedIterations);
    System.out.println("FIGURES jetty low-level " + client + " " + transport + " " + fault + ": dead session cached in"
        + " the stream callback stock " + stock.countOrZero("cb.deadSessionCached") + "/" + iterations
        + ", h2fix " + patched.countOrZero("cb.deadSessionCached") + "/" + patchedIterations
        + "; request from the callback failed stock " + stock.countOrZero("second.failed")
        + ", h2fix " + patched.countOrZero("second.failed")
        + "; sessions with two onClose (stock race of input shutdown with SessionContainer's stop) stock "
        + stock.countOrZero("sessions.closedTwice") + ", h2fix " + patched.countOrZero("sessions.closedTwice"));
    // The stock failure: stream callbacks run before onClose, with the dead session still cached.
    assertTrue(stock.countOrZero("cb.deadSessionCached") >= iterations * 9 / 10, stock.toString());
    assertTrue(stock.countOrZero("second.failed") >= iterations * 9 / 10, stock.toString());
    assertEquals(iterations, stock.countOrZero("cb.h2fixListenerSilent"), stock.toString());

    // onClose has returned (the cache is cleared) before any stream callback, in every iteration,
    // also when two teardown paths race on two threads (race.via.* names the path if one did not).
    assertEquals(patchedIterations, patched.countOrZero("cb.afterOnClose"), patched.toString());
    assertEquals(0, patched.countOrZero("cb.deadSessionCached"), patched.toString());
    assertEquals(patchedIterations, patched.countOrZero("cb.h2fixListenerRan"), patched.toString());
    assertEquals(patchedIterations, patched.countOrZero("second.ok"), patched.toString());
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
    check(client, transport, fault, ITERATIONS, PATCHED_ITERATIONS);
  }

  /**
   * GOAWAY above the stream (failStreams with RetryableStreamException, no survivor), and the idle
   * timeout's halt path, which never calls Session.Listener.onFailure.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "jetty-12.1.14, h2c, goaway, 200", "jetty-12.1.14, tls, goaway, 200",
    "jetty-12.0.36, h2c, goaway, 200", "jetty-12.0.36, tls, goaway, 200",
    "jetty-12.1.14, h2c, idle, 30", "jetty-12.1.14, tls, idle, 30",
    "jetty-12.0.36, h2c, idle, 30", "jetty-12.0.36, tls, idle, 30",
  })
  void goAwayAndIdleTimeout(String client, String transport, String fault, int iterations) {
    check(client, transport, fault, iterations, iterations);
  }

  /**
   * The other teardown paths, each with its own trigger: a write failure (a POST uploading 8 MiB,
   * reset under it: the write failure, the input shutdown and the endpoint's stop race, all three
   * are seen as the reason onClose reports), a protocol error (the server sends SETTINGS
   * ENABLE_PUSH=1), HTTP2Client.stop() with the stream open, and a graceful GOAWAY the stream
   * survives followed by EOF (onClose must wait for the GOAWAY's survivors, then still come first).
   * Stock fails every one of them.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "jetty-12.1.14, h2c, upload", "jetty-12.1.14, tls, upload", "jetty-12.0.36, h2c, upload", "jetty-12.0.36, tls, upload",
    "jetty-12.1.14, h2c, protocol-error", "jetty-12.1.14, tls, protocol-error",
    "jetty-12.0.36, h2c, protocol-error", "jetty-12.0.36, tls, protocol-error",
    "jetty-12.1.14, h2c, stop", "jetty-12.1.14, tls, stop", "jetty-12.0.36, h2c, stop", "jetty-12.0.36, tls, stop",
    "jetty-12.1.14, h2c, goaway-graceful-then-fin", "jetty-12.1.14, tls, goaway-graceful-then-fin",
    "jetty-12.0.36, h2c, goaway-graceful-then-fin", "jetty-12.0.36, tls, goaway-graceful-then-fin",
  })
  void otherTeardownPaths(String client, String transport, String fault) {
    check(client, transport, fault, 50, 150);
  }
}
