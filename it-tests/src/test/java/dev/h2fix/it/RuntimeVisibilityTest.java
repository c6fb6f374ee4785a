package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.h2fix.scenarios.IsolatedLoader;
import dev.h2fix.scenarios.JmxView;
import org.junit.jupiter.api.Test;

/** The runtime is one copy, visible from every class loader, and readable over JMX, read-only. */
class RuntimeVisibilityTest {

  private static ForkedScenario isolated() {
    return ForkedScenario.of(IsolatedLoader.class)
        .args(
            "--jars=" + ForkedScenario.CLIENT_CLASSPATHS.resolve("okhttp-5.5.1/target/lib"),
            "--classes=" + ForkedScenario.SCENARIO_CLASSES);
  }

  @Test
  void childLoaderOverPlatformLoaderReachesTheRuntimeOnlyWithTheAgent() {
    // Without the agent, the probe in the isolated loader cannot see the runtime: the test can fail.
    ScenarioOutcome stock = isolated().run();
    assertEquals(0, stock.exitCode(), stock.toString());
    assertEquals(1, stock.count("runtime.unreachable.NoClassDefFoundError"), stock.toString());

    ScenarioOutcome patched = isolated().withAgent(true).run();
    assertEquals(0, patched.exitCode(), patched.toString());
    assertEquals(1, patched.count("runtime.bootstrap"), patched.toString());
    assertEquals(1, patched.count("okhttp.loader.isolated"), patched.toString());
    assertEquals(1, patched.count("agent.patched.inIsolatedLoader"), patched.toString());
  }

  @Test
  void statsMBeanIsRegisteredAndReadOnly() {
    ScenarioOutcome outcome = ForkedScenario.of(JmxView.class).withAgent(true).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(1, outcome.count("registered"), outcome.toString());
    assertEquals(outcome.count("attributes"), outcome.count("attributes.readOnly"), outcome.toString());
    assertFalse(outcome.counts().containsKey("attributes.writable"), outcome.toString());
    assertEquals(0, outcome.count("operations"));
    assertEquals(0, outcome.count("okhttp.requestsRerouted.value"));
    assertEquals(1, outcome.count("version.present"));
    assertEquals(1, outcome.count("write.refused"), outcome.toString());
  }

  @Test
  void jmxOffRegistersNothing() {
    ScenarioOutcome outcome = ForkedScenario.of(JmxView.class).agentArgs("jmx=false").run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(0, outcome.count("registered"), outcome.toString());
  }
}
