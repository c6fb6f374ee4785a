package dev.h2fix.agent;

import dev.h2fix.runtime.ConfigException;
import java.lang.instrument.Instrumentation;

/** Runs the installer and turns a refused configuration into its one-line message. */
final class AgentStart {
  private AgentStart() {}

  /** Null when installed (or already installed); otherwise the message naming the bad key or value. */
  static String install(Instrumentation inst, String agentArgs, boolean retransformLoaded, long startNanos) {
    try {
      Installer.install(inst, agentArgs, retransformLoaded, startNanos);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }
}
