package dev.h2fix.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Lines are held back only when ExitConsole can write them at exit as the default logging would. */
class ExitConsoleTest {
  @Test
  void theJdksDefaultLoggingIsReplicated() {
    assertTrue(ExitConsole.replicatesDefault());
  }

  @Test
  void anApplicationsOwnLoggingConfigurationIsNot() {
    for (String key : new String[] {
      "java.util.logging.config.file", "java.util.logging.config.class", "java.util.logging.manager"
    }) {
      String before = System.getProperty(key);
      System.setProperty(key, "x");
      try {
        assertFalse(ExitConsole.replicatesDefault(), key);
      } finally {
        if (before == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, before);
        }
      }
    }
  }
}
