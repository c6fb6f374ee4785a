package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.HealthyJetty;
import dev.h2fix.scenarios.okhttp.HealthyOkHttp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On a healthy server, h2fix changes nothing: the same requests succeed over HTTP/2 with the same
 * bytes, each delivered once, with and without the agent, for every client version under test.
 */
@ExtendWith(BenchExtension.class)
class HealthyExchangeTest {
  private static final int REQUESTS = 10; // per transport, half GET, half POST
  private static BenchServer bench;

  @ParameterizedTest
  @ValueSource(strings = {"okhttp-5.5.1", "okhttp-5.0.0", "okhttp-4.12.0"})
  void okhttp(String client) {
    compare(HealthyOkHttp.class, client, "okhttp");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty-12.1.14", "jetty-12.0.36"})
  void jetty(String client) {
    compare(HealthyJetty.class, client, "jetty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp-5.5.1", "jetty-12.1.14"})
  void onJava25(String client) {
    Assumptions.assumeTrue(Jdks.hasJdk25(), "no JDK 25 at " + Jdks.JDK25);
    compare(client.startsWith("okhttp") ? HealthyOkHttp.class : HealthyJetty.class, client,
        client.substring(0, client.indexOf('-')), Jdks.JDK25);
  }

  private static void compare(Class<?> scenario, String client, String module) {
    compare(scenario, client, module, Path.of(System.getProperty("java.home")));
  }

  private static void compare(Class<?> scenario, String client, String module, Path javaHome) {
    String stockTag = client + "-" + javaHome.getFileName() + "-stock";
    String agentTag = client + "-" + javaHome.getFileName() + "-agent";
    ScenarioOutcome stock =
        ForkedScenario.of(scenario).client(client).javaHome(javaHome).args(Bench.clientArgs(bench, stockTag, REQUESTS)).run();
    ScenarioOutcome patched =
        ForkedScenario.of(scenario).client(client).javaHome(javaHome).withAgent(true)
            .args(Bench.clientArgs(bench, agentTag, REQUESTS)).run();

    for (ScenarioOutcome outcome : List.of(stock, patched)) {
      assertEquals(0, outcome.exitCode(), outcome.toString());
      assertEquals(2L * REQUESTS, outcome.count("ok"), outcome.toString());
      assertFalse(outcome.counts().containsKey("failed"), outcome.toString());
      assertFalse(outcome.counts().containsKey("unexpected"), outcome.toString());
      assertFalse(outcome.counts().containsKey("unexpected.postBody"), outcome.toString());
    }
    assertEquals(0, stock.count("agent.installed"));
    assertEquals(1, patched.count("agent.installed"));
    assertEquals(1, patched.count("agent.patched." + module), "h2fix recognised " + client + ":\n" + patched);
    assertEquals(0, patched.count("agent.skipped." + module), patched.toString());
    assertTrue(patched.stderr().contains("h2fix: patched " + module + " "), patched.stderr());

    for (String tag : List.of(stockTag, agentTag)) {
      for (String transport : List.of("h2c", "tls")) {
        for (int i = 0; i < REQUESTS; i++) {
          String id = tag + "-" + transport + "-" + i;
          assertEquals(1, bench.deliveries(id), "deliveries of " + id);
        }
      }
    }
    assertTrue(bench.duplicates().isEmpty(), "duplicates: " + bench.duplicates());
  }
}
