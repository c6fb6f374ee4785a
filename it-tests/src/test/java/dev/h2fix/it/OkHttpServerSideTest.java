package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.h2fix.scenarios.okhttp.MockWebServerUnchanged;
import org.junit.jupiter.api.Test;

/** MockWebServer's server-side Http2Connections stay stock; h2fix reports client connections only. */
class OkHttpServerSideTest {

  @Test
  void mockWebServerInTheSameJvmBehavesAsStock() {
    ScenarioOutcome stock = ForkedScenario.of(MockWebServerUnchanged.class).client("okhttp-5.5.1").run();
    ScenarioOutcome patched = ForkedScenario.of(MockWebServerUnchanged.class).client("okhttp-5.5.1").withAgent(true).run();
    for (ScenarioOutcome o : new ScenarioOutcome[] {stock, patched}) {
      assertEquals(0, o.exitCode(), o.toString());
      assertEquals(30, o.count("ok"), o.toString());
      assertEquals(30, o.count("server.requestCount"), o.toString());
      assertFalse(o.counts().containsKey("failed"), o.toString());
    }
    // One client connection per block of five (one host name each), as stock.
    assertEquals(6, stock.count("client.connections"), stock.toString());
    assertEquals(stock.count("client.connections"), patched.count("client.connections"), patched.toString());
    // Every client connection dies (server GOAWAY, then eviction): each is reported once, and
    // nothing else is: the server's own connections are not h2fix's.
    assertEquals(patched.count("client.connections"), patched.count("invalidated.client"), patched.toString());
    assertFalse(patched.counts().containsKey("invalidated.other"), patched.toString());
    assertEquals(patched.count("client.connections"), patched.count("agent.stats.sessionsInvalidatedEarly"));
  }
}
