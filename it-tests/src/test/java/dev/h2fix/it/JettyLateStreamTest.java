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
 * reserved its slot just before the session's end (the peer's GOAWAY, last-stream-id below it, and
 * FIN; or a FIN alone) was processed, and that reached the session's map only after Jetty's failure
 * passes had looked at it. Stock writes its HEADERS to the dying connection and reports it sent:
 * after a GOAWAY it then never ends (no stream callback; the session also stays CLOSING), after a
 * FIN alone it is closed without a response. h2fix refuses it unsent (the application, or h2fix's
 * reroute for HttpClient, may send it again) and the session closes. The interleaving is forced with
 * latches (see {@link LowLevelLateStream}), so every iteration shows it.
 */
@ExtendWith(BenchExtension.class)
class JettyLateStreamTest {
  private static final int ITERATIONS = Integer.getInteger("h2fix.jetty.lateIterations", 5);
  private static BenchServer bench;

  private static ScenarioOutcome run(String client, String transport, String fault, boolean agent) {
    String tag = "jlate-" + client + "-" + transport + "-" + fault + (agent ? "-agent" : "-stock");
    ScenarioOutcome outcome = ForkedScenario.of(LowLevelLateStream.class).client(client).withAgent(agent)
        .timeout(java.time.Duration.ofSeconds(60 + ITERATIONS * 10L))
        .args(Bench.clientArgs(bench, tag, 0))
        .args("--transport=" + transport, "--fault=" + fault, "--iterations=" + ITERATIONS).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(ITERATIONS, outcome.count("iterations"), outcome.toString());
    // Every forced step happened (no latch wait ran out), stock and h2fix alike.
    assertEquals(0, outcome.countOrZero("a.notReserved") + outcome.countOrZero("late.notReserved")
        + outcome.countOrZero("session.noFailure"), outcome.toString());
    for (int i = 0; i < ITERATIONS; i++) {
      // Never delivered, stock or h2fix: its HEADERS reached no server session that would take it
      // (above the GOAWAY's last-stream-id, or after the connection was closed).
      assertEquals(0, bench.deliveries(tag + "-" + i + "-late"), outcome.toString());
    }
    return outcome;
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "jetty-12.1.14, h2c, goaway", "jetty-12.1.14, tls, goaway", "jetty-12.0.36, h2c, goaway", "jetty-12.0.36, tls, goaway",
    "jetty-12.1.14, h2c, fin", "jetty-12.1.14, tls, fin", "jetty-12.0.36, h2c, fin", "jetty-12.0.36, tls, fin",
  })
  void streamOvertakenBySessionEndIsRefusedNotLost(String client, String transport, String fault) {
    ScenarioOutcome stock = run(client, transport, fault, false);
    ScenarioOutcome patched = run(client, transport, fault, true);
    System.out.println("FIGURES jetty low-level stream overtaken by the session's end " + client + " " + transport + " " + fault
        + ": reported sent stock " + stock.countOrZero("late.sent") + ", h2fix " + patched.countOrZero("late.sent")
        + "; never ended stock " + stock.countOrZero("stream.neverEnded") + ", h2fix "
        + patched.countOrZero("stream.neverEnded") + " of " + ITERATIONS + "; refused unsent stock "
        + stock.countOrZero("late.refused") + ", h2fix " + patched.countOrZero("late.refused")
        + "; session never closed stock " + stock.countOrZero("session.neverClosed") + ", h2fix "
        + patched.countOrZero("session.neverClosed"));
    // Stock: the promise succeeds (its HEADERS were written to the dying connection), so the
    // application cannot tell the request was never processed. After a GOAWAY nothing follows at
    // all and the session never closes; after a FIN alone the stream is closed without a response.
    assertEquals(ITERATIONS, stock.countOrZero("late.sent"), stock.toString());
    if (fault.equals("goaway")) {
      assertEquals(ITERATIONS, stock.countOrZero("stream.neverEnded"), stock.toString());
      assertEquals(ITERATIONS, stock.countOrZero("session.neverClosed"), stock.toString());
    } else {
      assertEquals(0, stock.countOrZero("stream.ended.headers"), stock.toString());
    }
    // h2fix: refused unsent ("session closed", as a closing session refuses), and the session closes.
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
