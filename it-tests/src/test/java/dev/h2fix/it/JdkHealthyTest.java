package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.jdk.HealthyJdk;
import dev.h2fix.scenarios.jdk.NeverUsesHttpClient;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Do no harm, JDK HttpClient: on a healthy server the same requests succeed with and without h2fix
 * on Java 17 and 25; and a JVM with the agent that never uses java.net.http loads none of its classes
 * and has that module untouched.
 */
@ExtendWith(BenchExtension.class)
class JdkHealthyTest {
  private static final int REQUESTS = 10;
  private static BenchServer bench;

  @ParameterizedTest(name = "java {0}")
  @ValueSource(strings = {"17", "25"})
  void healthyExchangesAreUnchanged(String jdk) {
    String stockTag = "healthy-jdk-" + jdk + "-stock";
    String agentTag = "healthy-jdk-" + jdk + "-agent";
    ScenarioOutcome stock = ForkedScenario.of(HealthyJdk.class).javaHome(Jdks.home(jdk))
        .args(Bench.clientArgs(bench, stockTag, REQUESTS)).run();
    ScenarioOutcome patched = ForkedScenario.of(HealthyJdk.class).javaHome(Jdks.home(jdk)).withAgent(true)
        .args(Bench.clientArgs(bench, agentTag, REQUESTS)).run();
    for (ScenarioOutcome o : List.of(stock, patched)) {
      assertEquals(0, o.exitCode(), o.toString());
      assertEquals(2L * REQUESTS, o.count("ok"), o.toString());
      assertFalse(o.counts().containsKey("failed"), o.toString());
      assertFalse(o.counts().containsKey("unexpected"), o.toString());
      assertFalse(o.counts().containsKey("unexpected.postBody"), o.toString());
    }
    assertEquals(1, patched.count("agent.patched.jdk"), "h2fix recognised the JDK client\n" + patched);
    assertEquals(0, patched.count("agent.skipped.jdk"), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.requestsRerouted"), patched.toString());
    assertEquals(0, patched.countOrZero("agent.stats.adviceFailures"), patched.toString());
    assertTrue(patched.stderr().contains("h2fix: patched jdk "), patched.stderr());
    for (String tag : List.of(stockTag, agentTag)) {
      for (String kind : List.of("seq", "par")) {
        for (int i = 0; i < REQUESTS; i++) {
          assertEquals(1, bench.deliveries(tag + "-" + kind + "-" + i), "deliveries of " + tag + "-" + kind + "-" + i);
        }
      }
    }
  }

  @ParameterizedTest(name = "java {0}")
  @ValueSource(strings = {"17", "25"})
  void aJvmThatNeverUsesTheClientIsUntouched(String jdk) {
    ScenarioOutcome o = ForkedScenario.of(NeverUsesHttpClient.class).javaHome(Jdks.home(jdk)).withAgent(true)
        .jvmOption("-Xlog:class+load=info:stdout").run();
    assertEquals(0, o.exitCode(), o.toString());
    assertEquals(1, o.count("started"), o.toString());
    assertEquals(0, o.count("javaNetHttp.readsRuntime"), "java.net.http untouched\n" + o);
    assertFalse(o.stdout().contains(" jdk.internal.net.http."), "no class of the JDK client loaded\n" + o);
    assertFalse(o.stdout().contains(" java.net.http."), "no class of java.net.http loaded\n" + o);
    assertTrue(o.stderr().contains("modules active: okhttp, jetty, jdk"), o.stderr());
    assertFalse(o.stderr().contains("patched jdk"), o.stderr());
  }
}
