package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.scenarios.Noop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A wrong configuration stops the JVM at start, with one line that names the bad key or value and the valid ones. */
class BadArgumentsTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "agent | reroutes=2 | unknown configuration key 'reroutes' (agent argument). Valid keys: okhttp.enabled, jetty.enabled, jdk.enabled, reroute.maxAttempts",
        "agent | log=loud | bad value 'loud' for key 'log' (agent argument). Valid values: off|info|debug",
        "agent | reroute.maxAttempts=11 | bad value '11' for key 'reroute.maxAttempts' (agent argument). Valid values: 0..10",
        "agent | okhttp.enabled | agent argument 'okhttp.enabled' is not key=value. Valid keys: okhttp.enabled",
        "property | -Dh2fix.jmx=maybe | bad value 'maybe' for key 'jmx' (system property -Dh2fix.jmx). Valid values: true|false",
        "property | -Dh2fix.jetty.enable=false | unknown configuration key 'jetty.enable' (system property -Dh2fix.jetty.enable). Valid keys:",
      })
  void refusedAtStart(String where, String setting, String expected) {
    ForkedScenario scenario = ForkedScenario.of(Noop.class);
    if (where.equals("agent")) {
      scenario.agentArgs(setting);
    } else {
      scenario.withAgent(true).jvmOption(setting);
    }
    ScenarioOutcome outcome = scenario.run();
    assertEquals(2, outcome.exitCode(), outcome.toString());
    assertFalse(outcome.stdout().contains("started"), "the application must not start:\n" + outcome);
    String[] lines = outcome.stderr().strip().split("\n");
    assertEquals(1, lines.length, "exactly one line on stderr:\n" + outcome.stderr());
    assertTrue(lines[0].startsWith("h2fix: " + expected), "got: " + lines[0]);
  }

  @Test
  void argumentWinsOverProperty() {
    ScenarioOutcome outcome =
        ForkedScenario.of(Noop.class).agentArgs("log=off").jvmOption("-Dh2fix.log=debug").run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertFalse(outcome.stderr().contains("h2fix"), "log=off from the argument must win:\n" + outcome);
  }

  @Test
  void goodConfigurationStartsWithOneInfoLine() {
    ScenarioOutcome outcome = ForkedScenario.of(Noop.class).agentArgs("okhttp.enabled=false").run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(1, outcome.count("started"));
    assertTrue(
        outcome.stderr().contains("h2fix: ") && outcome.stderr().contains(" installed in ")
            && outcome.stderr().contains("modules active: jetty, jdk; off: okhttp"),
        outcome.stderr());
    assertFalse(outcome.stderr().contains("WARNING"), outcome.stderr());
    assertFalse(outcome.stderr().contains("Sharing is only supported"), "class data sharing must stay on:\n" + outcome);
  }
}
