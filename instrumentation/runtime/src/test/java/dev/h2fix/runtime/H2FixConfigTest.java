package dev.h2fix.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class H2FixConfigTest {

  @Test
  void defaults() {
    H2FixConfig c = H2FixConfig.parse(null, new Properties());
    assertTrue(c.isEnabled(Client.OKHTTP));
    assertTrue(c.isEnabled(Client.JETTY));
    assertTrue(c.isEnabled(Client.JDK));
    assertEquals(3, c.rerouteMaxAttempts());
    assertTrue(c.rerouteRefusedStreams());
    assertEquals("info", c.logLevel());
    assertTrue(c.jmx());
    assertEquals("defaults", c.toString());
  }

  @Test
  void argumentWinsOverProperty() {
    Properties p = new Properties();
    p.setProperty("h2fix.reroute.maxAttempts", "5");
    p.setProperty("h2fix.log", "debug");
    H2FixConfig c = H2FixConfig.parse("reroute.maxAttempts=1, jmx = FALSE", p);
    assertEquals(1, c.rerouteMaxAttempts());
    assertEquals("debug", c.logLevel());
    assertFalse(c.jmx());
  }

  @Test
  void unknownKeyNamesItAndTheValidOnes() {
    Properties p = new Properties();
    ConfigException e = assertThrows(ConfigException.class, () -> H2FixConfig.parse("retries=2", p));
    assertEquals(
        "unknown configuration key 'retries' (agent argument). Valid keys: okhttp.enabled, jetty.enabled, jdk.enabled,"
            + " reroute.maxAttempts, reroute.refusedStreams, log, jmx, knownBuilds",
        e.getMessage());
  }

  @Test
  void badValueNamesKeyValueAndValidValues() {
    Properties p = new Properties();
    p.setProperty("h2fix.reroute.maxAttempts", "-1");
    ConfigException e = assertThrows(ConfigException.class, () -> H2FixConfig.parse("", p));
    assertEquals(
        "bad value '-1' for key 'reroute.maxAttempts' (system property -Dh2fix.reroute.maxAttempts)."
            + " Valid values: 0..10",
        e.getMessage());
  }

  @Test
  void unknownPropertyUnderThePrefixIsRefused() {
    Properties p = new Properties();
    p.setProperty("h2fix.okhttp.enable", "false");
    assertThrows(ConfigException.class, () -> H2FixConfig.parse("", p));
  }
}
