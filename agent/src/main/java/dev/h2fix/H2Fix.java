package dev.h2fix;

import dev.h2fix.agent.InProcess;

/**
 * Turns h2fix on in the running JVM without a command-line flag, for integration tests:
 *
 * <pre>{@code
 * @BeforeAll
 * static void h2fix() {
 *   H2Fix.install();
 * }
 * }</pre>
 *
 * Idempotent: a second call, or a call in a JVM started with {@code -javaagent:h2fix.jar}, does
 * nothing. Call it before the first use of h2fix's runtime API (listeners, counters) in the JVM.
 */
public final class H2Fix {
  private H2Fix() {}

  /** Installs with the defaults and the {@code h2fix.*} system properties. */
  public static void install() {
    install("");
  }

  /**
   * Installs with {@code agentArgs} in the agent-argument form ({@code key=value,key=value}).
   *
   * @throws IllegalArgumentException naming the bad key or value; nothing is installed then
   * @throws IllegalStateException when the JVM does not allow attaching an agent
   */
  public static void install(String agentArgs) {
    InProcess.install(agentArgs);
  }

  /** Whether h2fix is installed in this JVM, by either way. */
  public static boolean isInstalled() {
    return InProcess.isInstalled();
  }
}
