package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.HealthyJetty;
import dev.h2fix.scenarios.okhttp.HealthyOkHttp;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's first class loads as soon as the JVM starts, racing the background warm-up of
 * h2fix-init: whichever thread gets there first, and whether the application thread arrives
 * before, during or after the warm-up, every run must patch the library whole, serve every request,
 * and finish (a deadlock would hit the scenario timeout). The debug log says where each patched
 * class found the warm-up; the FIGURES line counts them. With {@code knownBuilds=false}: the builds
 * under test otherwise come patched from h2fix.jar and nothing warms Byte Buddy; this is the path of
 * every build h2fix was not built against.
 */
class PrewarmRaceTest {
  private static final int RUNS = 8;
  private static final int REQUESTS = 2;
  private static final Pattern TRANSFORMED = Pattern.compile("\\[debug\\] transformed \\S+ in \\d+ us on \\S+, (\\w+) (?:the|a) warm-up");
  private static BenchServer bench;

  @BeforeAll
  static void startBench() throws Exception {
    bench = BenchServer.start();
  }

  @AfterAll
  static void stopBench() {
    bench.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp-5.5.1", "jetty-12.1.14"})
  void firstClassLoadRacingTheWarmUp(String client) {
    String module = client.substring(0, client.indexOf('-'));
    Class<?> scenario = module.equals("okhttp") ? HealthyOkHttp.class : HealthyJetty.class;
    Map<String, Integer> where = new TreeMap<>();
    for (int run = 0; run < RUNS; run++) {
      ScenarioOutcome outcome = ForkedScenario.of(scenario).client(client).agentArgs("log=debug,knownBuilds=false")
          .args(Bench.clientArgs(bench, client + "-prewarm-" + run, REQUESTS)).run();
      assertEquals(0, outcome.exitCode(), outcome.toString());
      assertEquals(2L * REQUESTS, outcome.count("ok"), outcome.toString());
      assertFalse(outcome.counts().containsKey("failed"), outcome.toString());
      assertEquals(1, outcome.count("agent.patched." + module), outcome.toString());
      assertFalse(outcome.stderr().contains("could not patch"), outcome.stderr());
      Matcher m = TRANSFORMED.matcher(outcome.stderr());
      int transformed = 0;
      while (m.find()) {
        where.merge(m.group(1), 1, Integer::sum);
        transformed++;
      }
      assertTrue(transformed > 0, "debug lines for the patched classes:\n" + outcome.stderr());
    }
    System.out.println("FIGURES prewarm " + client + ": " + RUNS + " runs; patched classes found the warm-up " + where);
  }
}
