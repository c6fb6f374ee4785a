package dev.h2fix.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one child JVM: {@code java [-javaagent:h2fix.jar] -cp CP main args}, hands each stdout line
 * to a consumer as it comes, keeps stderr, and kills the child (and its descendants) when it
 * outlives its time limit.
 */
public final class ChildJvm {
  /** How the child ended. {@code stderr}: its first 64 KB. */
  public record Result(int exitCode, boolean timedOut, String stderr) {}

  private static final int STDERR_LIMIT = 64 * 1024;

  private ChildJvm() {}

  /** The command line; {@code agent} null means a stock JVM, with no agent at all. */
  public static List<String> command(Path javaHome, Path agent, String classpath, List<String> jvmOptions,
      Class<?> main, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-Dslf4j.internal.verbosity=ERROR"); // no SLF4J provider: no warning lines
    if (agent != null) {
      command.add("-javaagent:" + agent);
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(main.getName());
    command.addAll(args);
    return command;
  }

  public static Result run(List<String> command, Duration limit, Consumer<String> onLine)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    StringBuilder stderr = new StringBuilder();
    Thread errors = drain(process.getErrorStream(), line -> {
      synchronized (stderr) {
        if (stderr.length() < STDERR_LIMIT) {
          stderr.append(line).append('\n');
        }
      }
    });
    Thread lines = drain(process.getInputStream(), onLine);
    boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    lines.join(10_000);
    errors.join(10_000);
    synchronized (stderr) {
      return new Result(finished ? process.exitValue() : -1, !finished, stderr.toString());
    }
  }

  private static Thread drain(InputStream in, Consumer<String> onLine) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          onLine.accept(line);
        }
      } catch (IOException ignored) {
        // child gone
      }
    }, "chaos-child-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
