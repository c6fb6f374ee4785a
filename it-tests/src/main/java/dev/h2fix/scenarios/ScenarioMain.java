package dev.h2fix.scenarios;

/**
 * Runs a scenario's body and ends its JVM: exit 0, or exit 1 with the stack trace. The clients'
 * non-daemon threads must not keep a finished or failed scenario alive until the test's timeout.
 */
public final class ScenarioMain {
  /** A scenario's work. */
  @FunctionalInterface
  public interface Body {
    void run(String[] args) throws Exception;
  }

  private ScenarioMain() {}

  public static void run(String[] args, Body body) {
    try {
      body.run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}
