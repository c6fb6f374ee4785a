package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.h2fix.runtime.Stats;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a scenario's {@code main} in a child JVM, with or without {@code -javaagent:h2fix.jar}, on
 * the class path of one client version, and returns what it reported. The child is killed when it
 * outlives its timeout, so no scenario can hang the build.
 */
public final class ForkedScenario {
  /** Where the build put the pieces; set by the it-tests pom. */
  static final Path AGENT_JAR = Path.of(required("h2fix.agentJar"));
  static final Path CLIENT_CLASSPATHS = Path.of(required("h2fix.clientClasspaths"));
  static final Path SCENARIO_CLASSES = Path.of(required("h2fix.scenarioClasses"));

  private final Class<?> main;
  private String clientClasspath;
  private boolean withAgent;
  private String agentArgs = "";
  private boolean agentOnClasspath;
  private Path javaHome = Path.of(System.getProperty("java.home"));
  private Duration timeout = Duration.ofSeconds(90);
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> args = new ArrayList<>();

  private ForkedScenario(Class<?> main) {
    this.main = main;
  }

  public static ForkedScenario of(Class<?> main) {
    return new ForkedScenario(main);
  }

  /** The jars of one client version: a folder name under it-tests/client-classpaths, e.g. "okhttp-5.5.1". */
  public ForkedScenario client(String name) {
    this.clientClasspath = name;
    return this;
  }

  public ForkedScenario withAgent(boolean on) {
    this.withAgent = on;
    return this;
  }

  /** Agent arguments, {@code key=value,...}; implies {@link #withAgent}. */
  public ForkedScenario agentArgs(String agentArgs) {
    this.withAgent = true;
    this.agentArgs = agentArgs;
    return this;
  }

  /** Puts h2fix.jar on the child's class path (for {@code H2Fix.install()}), without the flag. */
  public ForkedScenario agentOnClasspath() {
    this.agentOnClasspath = true;
    return this;
  }

  public ForkedScenario javaHome(Path javaHome) {
    this.javaHome = javaHome;
    return this;
  }

  public ForkedScenario timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public ForkedScenario jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  public ForkedScenario args(Object... values) {
    for (Object v : values) {
      args.add(String.valueOf(v));
    }
    return this;
  }

  public ScenarioOutcome run() {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    if (withAgent) {
      command.add("-javaagent:" + AGENT_JAR + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath());
    command.add(main.getName());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        fail(main.getSimpleName() + " did not finish within " + timeout + "\nstdout:\n"
            + out.getNow("") + "\nstderr:\n" + err.getNow(""));
      }
      return new ScenarioOutcome(
          process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS), withAgent);
    } catch (Exception e) {
      throw new IllegalStateException("could not run " + main.getName(), e);
    }
  }

  private String classpath() {
    List<String> entries = new ArrayList<>();
    entries.add(SCENARIO_CLASSES.toString());
    if (agentOnClasspath) {
      entries.add(AGENT_JAR.toString());
    } else {
      // Scenarios read counters and register listeners: without the agent they need the runtime's
      // classes; with it, the bootstrap copy wins by parent-first delegation.
      entries.add(runtimeLocation());
    }
    if (clientClasspath != null) {
      Path lib = CLIENT_CLASSPATHS.resolve(clientClasspath).resolve("target").resolve("lib");
      try (Stream<Path> jars = Files.list(lib)) {
        jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("no jars for client " + clientClasspath + " in " + lib, e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String runtimeLocation() {
    try {
      return Path.of(Stats.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "<unreadable: " + e + ">";
          }
        });
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
    }
    return value;
  }
}
