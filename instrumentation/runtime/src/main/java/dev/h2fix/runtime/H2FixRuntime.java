package dev.h2fix.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent's state as every class loader sees it: whether it is installed, with which
 * configuration, and what it patched or skipped. Written by the agent, read by advice and by
 * applications.
 */
public final class H2FixRuntime {
  private static volatile H2FixConfig config = H2FixConfig.defaults();
  private static volatile String version;
  private static final List<String> PATCHED = new CopyOnWriteArrayList<>();
  private static final List<String> SKIPPED = new CopyOnWriteArrayList<>();

  private H2FixRuntime() {}

  /** True once the agent is installed in this JVM. */
  public static boolean isInstalled() {
    return version != null;
  }

  /** The agent's version, or null when it is not installed. */
  public static String version() {
    return version;
  }

  public static H2FixConfig config() {
    return config;
  }

  /** For the agent: called once, when installation begins. */
  public static void markInstalled(String agentVersion, H2FixConfig agentConfig) {
    config = agentConfig;
    version = agentVersion;
  }

  /** For client modules: a library was patched, e.g. "okhttp 5.5.1 (app)". */
  public static void reportPatched(String description) {
    PATCHED.add(description);
  }

  /** For client modules: a library was left as stock, with the reason. */
  public static void reportSkipped(String description) {
    SKIPPED.add(description);
  }

  /** What was patched so far, one entry per library per class loader. */
  public static List<String> patched() {
    return List.copyOf(PATCHED);
  }

  /** What was skipped so far, with reasons. */
  public static List<String> skipped() {
    return List.copyOf(SKIPPED);
  }
}
