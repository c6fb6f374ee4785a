package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchControl;
import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.it.ScenarioOutcome.FailedRequest;
import dev.h2fix.scenarios.jetty.ClientRace;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reroute what was never processed, Jetty's HttpClient over HTTP/2: concurrent GETs, POSTs and
 * one-shot POSTs racing a GOAWAY (last-stream-id = highest seen) or a connection reset. A request
 * refused by the GOAWAY (RetryableRequestException) is replayed once when its body can be replayed
 * and fails as stock otherwise; nothing is delivered twice; every request has exactly one outcome.
 */
@ExtendWith(BenchExtension.class)
class JettyRerouteTest {
  private static final int ROUNDS = 10;
  private static final int PER_ROUND = 40;
  private static BenchServer bench;
  private static BenchControl control;

  private static boolean goAwayRefused(FailedRequest f) {
    return f.kind().startsWith("org.eclipse.jetty.client.RetryableRequestException");
  }

  private static ScenarioOutcome run(String client, String kind, String transport, String fault, boolean agent) {
    String tag = "jrr-" + client + "-" + kind + "-" + transport + "-" + fault + (agent ? "-agent" : "-stock");
    ScenarioOutcome outcome = ForkedScenario.of(ClientRace.class).client(client).withAgent(agent)
        .args(Bench.clientArgs(bench, tag, 0))
        .args("--transport=" + transport, "--kind=" + kind, "--control=" + control.port(), "--fault=" + fault,
            "--rounds=" + ROUNDS, "--perRound=" + PER_ROUND)
        .run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(0, outcome.countOrZero("hung"), outcome.toString());
    assertEquals((long) ROUNDS * (PER_ROUND + PER_ROUND / 2), outcome.countOrZero("ok") + outcome.countOrZero("failed"),
        "every request has one outcome\n" + outcome);
    for (FailedRequest f : outcome.failures()) {
      if (goAwayRefused(f)) {
        assertEquals(0, bench.deliveries(f.id()),
            "a GOAWAY-refused stream was not delivered: " + f + "; at the server: " + bench.history(f.id()));
      }
    }
    List<String> duplicates =
        bench.duplicates().stream().filter(id -> id.startsWith(tag + "-")).collect(Collectors.toList());
    assertTrue(duplicates.isEmpty(), "delivered twice: " + duplicates + "\n" + outcome);
    return outcome;
  }

  @ParameterizedTest(name = "{0} {1} {2} GOAWAY")
  @CsvSource({
    "jetty-12.1.14, h2, h2c", "jetty-12.1.14, dynamic, tls", "jetty-12.0.36, h2, h2c", "jetty-12.0.36, h2, tls",
  })
  void goAwayRefusedRequestsAreReplayedOnce(String client, String kind, String transport) {
    ScenarioOutcome stock = run(client, kind, transport, "GOAWAY_ALL", false);
    long stockReplayable =
        stock.failures().stream().filter(f -> goAwayRefused(f) && !f.oneShot()).count();
    assertTrue(stockReplayable > 0, "the stock failure must show: GOAWAY-refused requests reach the application\n" + stock);

    ScenarioOutcome patched = run(client, kind, transport, "GOAWAY_ALL", true);
    // Every refused request with a replayable body was replayed; what fails is the replay itself
    // (refused again by the GOAWAY of another connection: one replay only, RFC 9113 §8.7).
    List<FailedRequest> notReplayed = patched.failures().stream()
        .filter(f -> goAwayRefused(f) && !f.oneShot() && !f.kind().endsWith(":replay"))
        .collect(Collectors.toList());
    assertTrue(notReplayed.isEmpty(), "not replayed: " + notReplayed + "\n" + patched);
    assertTrue(patched.countOrZero("agent.stats.requestsRerouted") > 0, patched.toString());
    // A stream never created ("session closed" from reserveSlot) with a replayable body is sent again.
    List<FailedRequest> neverCreated = patched.failures().stream()
        .filter(f -> f.kind().equals("java.lang.IllegalStateException:never-committed") && !f.oneShot())
        .collect(Collectors.toList());
    assertTrue(neverCreated.isEmpty(), "never-created streams not rerouted: " + neverCreated + "\n" + patched);
    // One-shot bodies are never replayed: they fail as stock.
    assertTrue(patched.failures().stream().filter(f -> goAwayRefused(f) && f.oneShot())
        .allMatch(f -> !f.kind().endsWith(":replay")), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
    System.out.println("FIGURES jetty GOAWAY " + client + " " + kind + " " + transport + ": "
        + (ROUNDS * (PER_ROUND + PER_ROUND / 2)) + " requests; GOAWAY-refused replayable requests failed stock "
        + stockReplayable + ", h2fix " + patched.failures().stream().filter(f -> goAwayRefused(f) && !f.oneShot()).count()
        + " (all of them failed replays, refused again by another connection's GOAWAY); replayed " + patched.countOrZero("agent.stats.requestsRerouted")
        + ", one-shot declined " + patched.countOrZero("agent.stats.replaysDeclinedUnsafe")
        + "; 'session closed' (stream never created) stock " + stock.countOrZero("failed.java.lang.IllegalStateException")
        + ", h2fix " + patched.countOrZero("failed.java.lang.IllegalStateException") + " (one-shot or failed replays only)"
        + "; failures stock " + stock.countOrZero("failed") + ", h2fix " + patched.countOrZero("failed"));
  }

  /** Connection resets: nothing of this is provably unprocessed; h2fix must not make it worse. */
  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @CsvSource({"jetty-12.1.14, h2, h2c, RST_ALL", "jetty-12.0.36, h2, tls, FIN_ALL"})
  void cutsStayAsSafe(String client, String kind, String transport, String fault) {
    ScenarioOutcome stock = run(client, kind, transport, fault, false);
    ScenarioOutcome patched = run(client, kind, transport, fault, true);
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
    System.out.println("FIGURES jetty " + fault + " " + client + " " + kind + " " + transport + ": failures stock "
        + stock.countOrZero("failed") + ", h2fix " + patched.countOrZero("failed") + "; never committed stock "
        + stock.countOrZero("failed.neverCommitted") + ", h2fix " + patched.countOrZero("failed.neverCommitted"));
  }

  /**
   * The server refuses a stream on a healthy connection (REFUSED_STREAM, RFC 9113 §8.7: not
   * processed), once per request. Stock: every refusal reaches the application. h2fix: GETs and
   * replayable POSTs are replayed once, each on a new connection, and delivered once; one-shot POSTs
   * fail as before.
   */
  @ParameterizedTest(name = "{0} {1} {2} refused streams")
  @CsvSource({
    "jetty-12.1.14, h2, h2c", "jetty-12.1.14, dynamic, tls", "jetty-12.0.36, dynamic, h2c", "jetty-12.0.36, h2, tls",
  })
  void refusedStreamsAreReplayedOnceOnANewConnection(String client, String kind, String transport) {
    int requests = 30; // a third each: GET, POST, one-shot POST
    ScenarioOutcome[] outcomes = new ScenarioOutcome[2];
    for (boolean agent : new boolean[] {false, true}) {
      String tag = "jrefused-" + client + "-" + kind + "-" + transport + (agent ? "-agent" : "-stock");
      ScenarioOutcome o = ForkedScenario.of(dev.h2fix.scenarios.jetty.ClientRefused.class).client(client)
          .withAgent(agent).args(Bench.clientArgs(bench, tag, requests))
          .args("--transport=" + transport, "--kind=" + kind).run();
      assertEquals(0, o.exitCode(), o.toString());
      assertEquals(requests / 3, o.countOrZero("failed.oneShot"), "one-shot bodies are never replayed\n" + o);
      for (int i = 0; i < requests; i++) {
        assertTrue(bench.deliveries(tag + "-" + i) <= 1, "delivered twice: " + tag + "-" + i);
      }
      outcomes[agent ? 1 : 0] = o;
    }
    ScenarioOutcome stock = outcomes[0];
    ScenarioOutcome patched = outcomes[1];
    assertEquals(requests / 3, stock.countOrZero("refused.get"), stock.toString());
    assertEquals(requests / 3, stock.countOrZero("refused.post"), stock.toString());
    assertEquals(requests / 3, patched.countOrZero("ok.get"), patched.toString());
    assertEquals(requests / 3, patched.countOrZero("ok.post"), patched.toString());
    assertEquals(0, patched.countOrZero("failed.get") + patched.countOrZero("failed.post"), patched.toString());
    assertEquals(2L * requests / 3, patched.count("agent.stats.requestsRerouted"), patched.toString());
    assertEquals(requests / 3, patched.count("agent.stats.replaysDeclinedUnsafe"), patched.toString());
    assertEquals(2L * requests / 3, patched.count("replays.onOtherConnection"), "each replay on a new connection\n" + patched);
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
    System.out.printf("FIGURES jetty-refused %s %s %s | stock: %d of %d refusals reach the application"
            + " | h2fix: %d (one-shot only), replayed %d (each on a new connection), declined %d, duplicates 0%n",
        client, kind, transport, stock.countOrZero("failed"), requests, patched.countOrZero("failed"),
        patched.count("agent.stats.requestsRerouted"), patched.count("agent.stats.replaysDeclinedUnsafe"));
  }
}
