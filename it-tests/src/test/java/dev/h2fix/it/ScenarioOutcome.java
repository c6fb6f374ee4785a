package dev.h2fix.it;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a forked scenario reported: its exit code, its output, and the counts it printed as
 * {@code H2FIX-COUNT <key> <value>} lines.
 */
public final class ScenarioOutcome {
  public static final String COUNT_PREFIX = "H2FIX-COUNT ";

  private final int exitCode;
  private final String stdout;
  private final String stderr;
  private final boolean withAgent;
  private final Map<String, Long> counts = new LinkedHashMap<>();

  ScenarioOutcome(int exitCode, String stdout, String stderr, boolean withAgent) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.withAgent = withAgent;
    for (String line : stdout.split("\n")) {
      if (line.startsWith(COUNT_PREFIX)) {
        String[] parts = line.substring(COUNT_PREFIX.length()).trim().split(" ");
        counts.put(parts[0], Long.parseLong(parts[1]));
      }
    }
  }

  public int exitCode() {
    return exitCode;
  }

  public String stdout() {
    return stdout;
  }

  public String stderr() {
    return stderr;
  }

  /** A count the scenario reported; fails the test with the scenario's output if it did not. */
  public long count(String key) {
    Long v = counts.get(key);
    if (v == null) {
      throw new AssertionError("scenario reported no count '" + key + "'\n" + this);
    }
    return v;
  }

  public Map<String, Long> counts() {
    return counts;
  }

  @Override
  public String toString() {
    return (withAgent ? "[with h2fix]" : "[stock]") + " exit=" + exitCode + " counts=" + counts
        + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
  }
}
