package dev.h2fix.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The second JDK every scenario family also runs on: Temurin 25, where the machine has it. */
final class Jdks {
  static final Path JDK25 = Path.of(System.getProperty("h2fix.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  private Jdks() {}

  /**
   * The Java home for a test parameter: "25" is Temurin 25 (the test is skipped where the machine
   * has none), anything else the JDK running the tests.
   */
  static Path home(String jdk) {
    if (jdk.equals("25")) {
      Assumptions.assumeTrue(hasJdk25(), "no JDK 25 at " + JDK25);
      return JDK25;
    }
    return Path.of(System.getProperty("java.home"));
  }

  static boolean hasJdk25() {
    return Files.isExecutable(JDK25.resolve("bin").resolve("java"));
  }
}
