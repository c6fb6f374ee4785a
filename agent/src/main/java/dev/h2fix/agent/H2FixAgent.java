package dev.h2fix.agent;

import java.lang.instrument.Instrumentation;

/**
 * The entry points of h2fix.jar: {@code -javaagent:h2fix.jar[=key=value,...]} (premain), dynamic
 * attach (agentmain), and {@code java -jar h2fix.jar} (usage).
 *
 * <p>This class names no runtime type: the runtime must reach the bootstrap class path before the
 * first of them is resolved.
 */
public final class H2FixAgent {
  private H2FixAgent() {}

  /**
   * Started with the JVM. A bad configuration stops the JVM here, with one line on stderr, so a
   * typo is caught at deploy time rather than in production traffic.
   */
  public static void premain(String agentArgs, Instrumentation inst) {
    long start = System.nanoTime();
    try {
      BootstrapRuntime.appendTo(inst);
    } catch (Throwable t) {
      // Cannot install safely: leave the application exactly as it is.
      System.err.println("h2fix: not installed: " + t.getMessage());
      return;
    }
    String error = AgentStart.install(inst, agentArgs, false, start);
    if (error != null) {
      System.err.println("h2fix: " + error);
      System.exit(2);
    }
  }

  /** Attached to a running JVM: a bad configuration is reported and nothing is installed. */
  public static void agentmain(String agentArgs, Instrumentation inst) throws Exception {
    long start = System.nanoTime();
    BootstrapRuntime.appendTo(inst);
    String error = AgentStart.install(inst, agentArgs, true, start);
    if (error != null) {
      throw new IllegalArgumentException("h2fix: " + error);
    }
  }

  /** {@code java -jar h2fix.jar}: version, usage, supported clients and every configuration key. */
  public static void main(String[] args) {
    System.exit(Usage.run(args, System.out, System.err));
  }
}
