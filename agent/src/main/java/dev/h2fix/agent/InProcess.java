package dev.h2fix.agent;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.ByteBuddyAgent;

/** {@link dev.h2fix.H2Fix}'s implementation: attach to this JVM, then install as agentmain would. */
public final class InProcess {
  private InProcess() {}

  public static synchronized void install(String agentArgs) {
    long start = System.nanoTime();
    if (isInstalled()) {
      return;
    }
    Instrumentation inst;
    try {
      inst = ByteBuddyAgent.install();
    } catch (RuntimeException e) {
      throw new IllegalStateException("h2fix: cannot attach to this JVM: " + e.getMessage(), e);
    }
    try {
      BootstrapRuntime.appendTo(inst);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("h2fix: " + e.getMessage(), e);
    }
    String error = AgentStart.install(inst, agentArgs, true, start);
    if (error != null) {
      throw new IllegalArgumentException("h2fix: " + error);
    }
  }

  /** Whether the runtime on the bootstrap class path says h2fix is installed. */
  public static boolean isInstalled() {
    if (!BootstrapRuntime.isOnBootstrap()) {
      return false;
    }
    return RuntimeState.installed();
  }
}
