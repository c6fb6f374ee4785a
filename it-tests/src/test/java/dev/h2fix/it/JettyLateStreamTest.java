package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.jetty.LowLevelLateStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reroute what was never sent, Jetty's low-level HTTP2Client: a stream whose {@code newStream}
 * reserved its slot just before the peer's GOAWAY (last-stream-id below it) and FIN were processed,
 * and that reached the session's map only after both of Jetty's failure passes. Stock never ends
 * it (no stream callback; the session stays CLOSING); h2fix refuses it unsent and the session
 * closes. The interleaving is forced with latches, so every iteration shows it.
 */
@ExtendWith(BenchExtension.class)
class JettyLateStreamTest {
  private static final int ITERATIONS = Integer.getInteger("h2fix.jetty.lateIterations", 5);
  private static BenchServer bench;

  private static ScenarioOutcome run(String client, String transport, boolean agent) {
    String tag = "jlate-" + client + "-" + transport + (agent ? "-agent" : "-stock");
    ScenarioOutcome outcome = ForkedScenario.of(LowLevelLateStream.class).client(client).withAgent(agent)
        .timeout(java.time.Duration.ofSeconds(60 + ITERATIONS * 10L))
        .args(Bench.clientArgs(bench, tag, 0))
        .args("--transport=" + transport, "--iterations=" + ITERATIONS).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(ITERATIONS, outcome.count("iterations"), outcome.toString());
    for (int i = 0; i < ITERATIONS; i++) {
      // Never delivered, stock or h2fix: the bench had declared its id unprocessed (GOAWAY).
      assertEquals(0, bench.deliveries(tag + "-" + i + "-late"), outcome.toString());
    }
    return outcome;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"jetty-12.1.14, h2c", "jetty-12.1.14, tls", "jetty-12.0.36, h2c", "jetty-12.0.36, tls"})
  void streamOvertakenByGoAwayIsRefusedNotLost(String client, String transport) {
    ScenarioOutcome stock = run(client, transport, false);
    ScenarioOutcome patched = run(client, transport, true);
    System.out.println("FIGURES jetty low-level stream overtaken by GOAWAY+FIN " + client + " " + transport
        + ": never ended stock " + stock.countOrZero("stream.neverEnded") + ", h2fix "
        + patched.countOrZero("stream.neverEnded") + " of " + ITERATIONS + "; refused unsent stock "
        + stock.countOrZero("late.refused") + ", h2fix " + patched.countOrZero("late.refused")
        + "; session never closed stock " + stock.countOrZero("session.neverClosed") + ", h2fix "
        + patched.countOrZero("session.neverClosed"));
    assertEquals(0, stock.countOrZero("a.notReserved") + stock.countOrZero("late.notReserved")
        + stock.countOrZero("session.noFailure"), stock.toString());
    // Stock: the promise succeeds, nothing follows, and the session never closes.
    assertEquals(ITERATIONS, stock.countOrZero("late.sent"), stock.toString());
    assertEquals(ITERATIONS, stock.countOrZero("stream.neverEnded"), stock.toString());
    assertEquals(ITERATIONS, stock.countOrZero("session.neverClosed"), stock.toString());
    // h2fix: refused unsent ("session closed", as a closing session refuses), and the session closes.
    assertEquals(0, patched.countOrZero("a.notReserved") + patched.countOrZero("late.notReserved")
        + patched.countOrZero("session.noFailure"), patched.toString());
    assertEquals(ITERATIONS, patched.countOrZero("late.refused"), patched.toString());
    // ... and only after the session's onClose and h2fix's InvalidationListener (guarantee 1).
    assertEquals(ITERATIONS, patched.countOrZero("late.failedAfterOnClose"), patched.toString());
    assertEquals(ITERATIONS, patched.countOrZero("late.failedAfterH2fixListener"), patched.toString());
    assertEquals(0, patched.countOrZero("stream.neverEnded"), patched.toString());
    assertEquals(ITERATIONS, patched.countOrZero("session.closed"), patched.toString());
    assertEquals(1, patched.count("agent.patched.jetty"), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
  }
}
