package dev.h2fix.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** The second JDK every scenario family also runs on: Temurin 25, where the machine has it. */
final class Jdks {
  static final Path JDK25 = Path.of(System.getProperty("h2fix.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  private Jdks() {}

  static boolean hasJdk25() {
    return Files.isExecutable(JDK25.resolve("bin").resolve("java"));
  }
}
