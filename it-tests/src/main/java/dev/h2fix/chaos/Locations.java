package dev.h2fix.chaos;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the pieces of a child JVM are: the agent jar and the class path with the clients. */
public final class Locations {
  private Locations() {}

  /** This code's jar (or classes directory). */
  public static Path self() {
    try {
      return Path.of(Locations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of(".");
    }
  }

  /** The child class path: the option, else this jar (it carries the clients), else this JVM's class path. */
  public static String childClasspath(String option) {
    if (option != null) {
      return option;
    }
    Path self = self();
    return Files.isRegularFile(self) ? self.toString() : System.getProperty("java.class.path");
  }

  /** h2fix.jar: the option, else {@code agent/target/h2fix.jar} relative to this jar or to the working directory. */
  public static Path agent(Path option) {
    if (option != null) {
      if (!Files.isRegularFile(option)) {
        throw new OptionException("--agent " + option + ": no such file (build it with: mvn -B -q package -DskipTests)");
      }
      return option.toAbsolutePath();
    }
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("h2fix.agentJar");
    if (property != null) {
      candidates.add(Path.of(property));
    }
    Path self = self().toAbsolutePath();
    // it-tests/target/h2fix-chaos.jar or it-tests/target/classes -> <repo>/agent/target/h2fix.jar
    for (Path dir = self.getParent(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve("agent").resolve("target").resolve("h2fix.jar"));
    }
    candidates.add(Path.of("agent", "target", "h2fix.jar").toAbsolutePath());
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.normalize();
      }
    }
    throw new OptionException("cannot find h2fix.jar (looked in agent/target/ above " + self + " and in "
        + Path.of("").toAbsolutePath() + "); build it with 'mvn -B -q package -DskipTests' or give --agent PATH");
  }

  /** Joins class path entries. */
  public static String join(List<String> entries) {
    return String.join(File.pathSeparator, entries);
  }
}
