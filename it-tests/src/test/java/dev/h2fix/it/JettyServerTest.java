package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.scenarios.jetty.ServerInSameJvm;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.eclipse.jetty.http2.server.RawHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * Server sessions are not h2fix's: a Jetty HTTP/2 server in the same JVM as a patched client shares
 * the patched {@code HTTP2Session} class, and must tear its sessions down exactly as stock Jetty
 * does (stream callbacks before the session's onClose), with no server session reported to
 * InvalidationListeners. Jetty 12.1.14 only: the 12.0.36 http2-server jar is not in the local
 * repository.
 */
class JettyServerTest {
  private static final int ITERATIONS = 100;

  private static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ScenarioOutcome run(boolean agent) {
    String serverJars = jarOf(Server.class) + File.pathSeparator + jarOf(RawHTTP2ServerConnectionFactory.class);
    ScenarioOutcome outcome = ForkedScenario.of(ServerInSameJvm.class).client("jetty-12.1.14").withAgent(agent)
        .args("--serverJars=" + serverJars, "--iterations=" + ITERATIONS).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(0, outcome.countOrZero("server.streamNotSeen"), outcome.toString());
    assertEquals(0, outcome.countOrZero("server.neverClosed"), outcome.toString());
    // Stock order on the server side: its stream callbacks before its onClose, every time.
    assertEquals(0, outcome.countOrZero("server.onCloseFirst"), outcome.toString());
    assertTrue(outcome.countOrZero("server.streamCallbackBeforeOnClose") >= ITERATIONS, outcome.toString());
    assertEquals(0, outcome.countOrZero("server.invalidatedByH2fix"), outcome.toString());
    return outcome;
  }

  @Test
  void serverSessionsTearDownAsStock() {
    ScenarioOutcome stock = run(false);
    ScenarioOutcome patched = run(true);
    assertEquals(1, patched.count("agent.patched.jetty"), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
    // Only the client sessions were reported (one per iteration, dropped locally).
    assertEquals(ITERATIONS, patched.count("invalidations"), patched.toString());
    System.out.println("FIGURES jetty server in the same JVM (12.1.14): server sessions with stream callbacks"
        + " before onClose stock " + stock.countOrZero("server.closedOnce") + "+" + stock.countOrZero("server.closedTwice")
        + " sessions, h2fix " + patched.countOrZero("server.closedOnce") + "+" + patched.countOrZero("server.closedTwice")
        + " (second onClose from stock's stop() race, left as stock: stock " + stock.countOrZero("server.closedTwice")
        + ", h2fix " + patched.countOrZero("server.closedTwice") + "); server sessions reported by h2fix: 0");
  }
}
