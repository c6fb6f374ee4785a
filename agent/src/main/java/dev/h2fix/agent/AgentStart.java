package dev.h2fix.agent;

import dev.h2fix.runtime.ConfigException;
import java.lang.instrument.Instrumentation;

/** Runs the installer and turns a refused configuration into its one-line message. */
final class AgentStart {
  private AgentStart() {}

  /**
   * Null when installed, already installed, or not installed because of an internal failure
   * (reported on stderr; the application goes on unpatched); otherwise the message naming the bad
   * configuration key or value.
   */
  static String install(Instrumentation inst, String agentArgs, boolean retransformLoaded, long startNanos) {
    try {
      Installer.install(inst, agentArgs, retransformLoaded, startNanos);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    } catch (Throwable t) {
      // An internal failure must never stop the application: it runs as if h2fix were absent.
      System.err.println("h2fix: not installed, the application runs unpatched (internal error: "
          + t.getClass().getName() + ")");
      return null;
    }
  }
}
