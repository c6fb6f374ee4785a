package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.h2fix.scenarios.InternalsProbe;
import dev.h2fix.scenarios.IsolatedLoader;
import dev.h2fix.scenarios.JmxView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /**
   * Putting the runtime into the bootstrap loader needs {@code jdk.internal.misc}; it is exported to
   * a throwaway loader of h2fix's only, never to the class path (where, with an earlier build, any
   * class could reach the JDK's internal Unsafe: this test then counted internals.exported).
   */
  @ParameterizedTest(name = "java {0}")
  @ValueSource(strings = {"17", "25"})
  void theJdksInternalsStayClosedToTheApplication(String jdk) {
    ScenarioOutcome stock = ForkedScenario.of(InternalsProbe.class).javaHome(Jdks.home(jdk)).run();
    assertEquals(1, stock.count("internals.closed"), stock.toString());
    ScenarioOutcome patched = ForkedScenario.of(InternalsProbe.class).javaHome(Jdks.home(jdk)).withAgent(true).run();
    assertEquals(0, patched.exitCode(), patched.toString());
    assertEquals(1, patched.count("runtime.bootstrap"), patched.toString());
    assertEquals(1, patched.count("internals.closed"), patched.toString());
    assertEquals(0, patched.countOrZero("internals.exported"), patched.toString());
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
