package dev.h2fix.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a forked scenario reported: its exit code, its output, and the counts it printed as
 * {@code H2FIX-COUNT <key> <value>} lines.
 */
public final class ScenarioOutcome {
  public static final String COUNT_PREFIX = "H2FIX-COUNT ";
  public static final String FAILED_PREFIX = "H2FIX-FAILED ";

  private final int exitCode;
  private final String stdout;
  private final String stderr;
  private final boolean withAgent;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final List<FailedRequest> failures = new ArrayList<>();

  /**
   * A request the scenario saw fail: its id, the exception (with the reset code), whether its body
   * was one-shot, and how many times h2fix had sent it again before it failed for good.
   */
  public record FailedRequest(String id, String kind, boolean oneShot, int reroutes) {}

  ScenarioOutcome(int exitCode, String stdout, String stderr, boolean withAgent) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.withAgent = withAgent;
    for (String line : stdout.split("\n")) {
      if (line.startsWith(COUNT_PREFIX)) {
        String[] parts = line.substring(COUNT_PREFIX.length()).trim().split(" ");
        counts.put(parts[0], Long.parseLong(parts[1]));
      } else if (line.startsWith(FAILED_PREFIX)) {
        String[] parts = line.substring(FAILED_PREFIX.length()).trim().split(" ");
        failures.add(new FailedRequest(
            parts[0], parts[1], parts.length > 2 && parts[2].equals("one-shot"),
            parts.length > 3 ? Integer.parseInt(parts[3]) : 0));
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

  public List<FailedRequest> failures() {
    return failures;
  }

  /** A count, or 0 when the scenario did not report it. */
  public long countOrZero(String key) {
    return counts.getOrDefault(key, 0L);
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
