package dev.h2fix.agent;

/**
 * The agent's version, from h2fix.jar's manifest (Implementation-Version), which the JVM has
 * already read to start the agent; "dev" when running from unpacked classes.
 */
final class AgentVersion {
  private AgentVersion() {}

  static String get() {
    Package p = AgentVersion.class.getPackage();
    String version = p == null ? null : p.getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
