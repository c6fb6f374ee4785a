package dev.h2fix.agent;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.ConfigKey;
import java.io.PrintStream;

/** What {@code java -jar h2fix.jar} prints. Uses runtime types only as plain classes: nothing is installed. */
final class Usage {
  private Usage() {}

  /** Returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      print(out);
      return 0;
    }
    if (args[0].equals("--version") || args[0].equals("version")) {
      out.println("h2fix " + AgentVersion.get());
      return 0;
    }
    if (args[0].equals("check")) {
      return ClasspathCheck.run(java.util.Arrays.asList(args).subList(1, args.length), out, err);
    }
    err.println("h2fix: unknown command '" + args[0] + "'. Valid commands: --help, --version, check");
    return 2;
  }

  static void print(PrintStream out) {
    out.println("h2fix " + AgentVersion.get() + ": race-free HTTP/2 session handling for JVM clients");
    out.println();
    out.println("Invalidates a dead HTTP/2 session (pool, library listeners, h2fix listeners) before any");
    out.println("stream callback of it runs, and sends again, on a fresh connection, a request that failed");
    out.println("only because its session was already dead and that the server provably never processed.");
    out.println();
    out.println("Usage:");
    out.println("  java -javaagent:/path/to/h2fix.jar[=key=value,key=value] ... your application");
    out.println("  java -Dh2fix.<key>=<value> -javaagent:/path/to/h2fix.jar ...   (the agent argument wins)");
    out.println("  In tests, without a flag: dev.h2fix.H2Fix.install() patches the running JVM.");
    out.println("  java -jar h2fix.jar check PATH...   which HTTP/2 clients these jars/directories hold and");
    out.println("      what h2fix would do to each (exit 0: all patched or none found; 1: some left as stock;");
    out.println("      2: bad path or unreadable jar)");
    out.println();
    out.println("Supported clients:");
    for (Client c : Client.values()) {
      out.printf("  %-8s %s%n", c.id(), SupportedClients.describe(c));
    }
    out.println();
    out.println("Configuration (unknown keys and bad values stop the JVM with one line naming them):");
    out.printf("  %-24s %-8s %-15s %s%n", "key", "default", "values", "meaning");
    for (ConfigKey k : ConfigKey.values()) {
      out.printf("  %-24s %-8s %-15s %s%n", k.key(), k.defaultValue(), k.validValues(), k.description());
    }
    out.println();
    out.println("Counters: JMX MBean h2fix:type=Stats (read-only), or dev.h2fix.runtime.Stats in-process.");
  }
}
