package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.jetty.LowLevelRefusal;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invalidation first for streams that {@code newStream} refuses, Jetty's low-level HTTP2Client:
 * several threads open streams on a cached session while it dies (FIN or RST under a stream,
 * GOAWAY below the new streams). A refused stream's promise fails only after the session
 * listener's onClose (which clears the cache) and h2fix's InvalidationListener ran; so does one
 * whose HEADERS the flusher failed unwritten (EofException) as the session died.
 */
@ExtendWith(BenchExtension.class)
class JettyRefusedStreamTest {
  private static final int ITERATIONS = Integer.getInteger("h2fix.jetty.refusalIterations", 30);
  private static BenchServer bench;

  private static ScenarioOutcome run(String client, String transport, String fault, boolean agent) {
    String tag = "jref-" + client + "-" + transport + "-" + fault + (agent ? "-agent" : "-stock");
    ScenarioOutcome outcome = ForkedScenario.of(LowLevelRefusal.class).client(client).withAgent(agent)
        .timeout(java.time.Duration.ofSeconds(120 + ITERATIONS * 4))
        .args(Bench.clientArgs(bench, tag, 0))
        .args("--transport=" + transport, "--fault=" + fault, "--iterations=" + ITERATIONS, "--threads=4").run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(ITERATIONS, outcome.count("iterations"), outcome.toString());
    // A stream opened while the GOAWAY races it sometimes never heard of its end from Jetty, stock
    // and h2fix alike (stream.neverEnded; once, stock, also its session never closed): a newStream
    // overtaken by the session's end before entering the map. h2fix now refuses it unsent
    // (JettyLateStreamTest forces it); here it is rare, so printed, not asserted. Anything else
    // that times out is held against h2fix.
    if (agent) {
      assertEquals(0, outcome.countOrZero("worker.timeout"), outcome.toString());
      assertEquals(0, outcome.countOrZero("session.neverClosed"), outcome.toString());
    }
    return outcome;
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "jetty-12.1.14, h2c, rst", "jetty-12.1.14, tls, fin", "jetty-12.1.14, h2c, goaway", "jetty-12.1.14, tls, goaway",
    "jetty-12.0.36, h2c, fin", "jetty-12.0.36, tls, rst", "jetty-12.0.36, h2c, goaway", "jetty-12.0.36, tls, goaway",
  })
  void streamRefusedByDyingSession(String client, String transport, String fault) {
    ScenarioOutcome stock = run(client, transport, fault, false);
    ScenarioOutcome patched = run(client, transport, fault, true);
    System.out.println("FIGURES jetty low-level refused newStream " + client + " " + transport + " " + fault
        + ": refused with the dead session still cached stock " + stock.countOrZero("refused.deadSessionCached")
        + " of " + (stock.countOrZero("refused.deadSessionCached") + stock.countOrZero("refused.cacheCleared"))
        + " refusals, h2fix " + patched.countOrZero("refused.deadSessionCached") + " of "
        + (patched.countOrZero("refused.deadSessionCached") + patched.countOrZero("refused.cacheCleared"))
        + " (" + ITERATIONS + " sessions, 4 threads); HEADERS failed unwritten (EofException) with the dead session"
        + " still cached stock " + stock.countOrZero("dropped.deadSessionCached") + " of "
        + (stock.countOrZero("dropped.deadSessionCached") + stock.countOrZero("dropped.cacheCleared"))
        + ", h2fix " + patched.countOrZero("dropped.deadSessionCached") + " of "
        + (patched.countOrZero("dropped.deadSessionCached") + patched.countOrZero("dropped.cacheCleared"))
        + "; streams whose end never came stock "
        + stock.countOrZero("stream.neverEnded") + ", h2fix " + patched.countOrZero("stream.neverEnded"));
    // Stock: the promise fails while onClose has not run yet: the dead session is still cached.
    assertTrue(stock.countOrZero("refused.deadSessionCached") > 0, stock.toString());
    // h2fix: onClose and the InvalidationListeners ran before every refused promise failed.
    assertEquals(0, patched.countOrZero("refused.deadSessionCached"), patched.toString());
    assertEquals(0, patched.countOrZero("refused.h2fixListenerSilent"), patched.toString());
    // HEADERS failed unwritten while a write failure on another thread had terminated the flusher
    // but not yet switched the session: stock shows it in most configurations but not in every run
    // (printed above); with h2fix the promise fails only after onClose and the listeners, every time.
    assertEquals(0, patched.countOrZero("dropped.deadSessionCached"), patched.toString());
    assertEquals(0, patched.countOrZero("dropped.h2fixListenerSilent"), patched.toString());
    assertEquals(1, patched.count("agent.patched.jetty"), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
  }
}
