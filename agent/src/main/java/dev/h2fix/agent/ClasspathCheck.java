package dev.h2fix.agent;

import dev.h2fix.runtime.Client;
import dev.h2fix.tooling.ClientModule;
import dev.h2fix.tooling.ShapeCheck;
import java.io.PrintStream;
import java.util.List;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * {@code java -jar h2fix.jar check PATH...}: which HTTP/2 clients a deployment's jars hold, and what
 * h2fix would do to each at run time. The verdict comes from the agent's own shape check
 * ({@link ShapeCheck}) over the same class files, read from the jars (nothing is loaded), with the
 * given jars and directories as one class path in the order given, the running JDK behind them.
 *
 * <p>Exit codes: 0 when every HTTP/2 client found is one h2fix patches (or none is found); 1 when
 * at least one found client would be left as stock (a shape h2fix does not know, or a client h2fix
 * has no module for); 2 on bad input (no path, a missing path, a jar that cannot be read). The JDK's
 * own client is judged in the running JDK but does not count towards the exit code.
 */
final class ClasspathCheck {
  static final int ALL_PATCHED = 0;
  static final int SOME_LEFT_AS_STOCK = 1;
  static final int BAD_INPUT = 2;

  private ClasspathCheck() {}

  static int run(List<String> paths, PrintStream out, PrintStream err) {
    if (paths.isEmpty()) {
      err.println("h2fix check: give at least one jar or directory, e.g. java -jar h2fix.jar check app.jar lib/");
      return BAD_INPUT;
    }
    ClassPathRoots roots;
    try {
      roots = ClassPathRoots.open(paths);
    } catch (ClassPathRoots.BadPath e) {
      err.println("h2fix check: " + e.getMessage());
      return BAD_INPUT;
    }
    try (roots) {
      out.println("h2fix " + AgentVersion.get() + " check: " + roots.describe());
      int exit = ALL_PATCHED;
      boolean found = false;
      for (ClientModule module : SupportedClients.all()) {
        List<ClassPathRoots.Root> holders = roots.holding(module.detectionType());
        for (ClassPathRoots.Root holder : holders) {
          found = true;
          ShapeCheck.Verdict verdict =
              ShapeCheck.of(module.variants(), ShapeCheck.poolOver(roots.locatorPreferring(holder)));
          out.println(line(module.client(), holder, verdict, roots));
          if (!verdict.patched()) {
            exit = SOME_LEFT_AS_STOCK;
          }
          if (holders.size() > 1) {
            out.println("        note: " + module.client().id() + " is in " + holders.size()
                + " places; at run time the first on the class path wins, in each class loader");
          }
        }
      }
      for (UnknownClients.Found unknown : UnknownClients.find(roots)) {
        found = true;
        exit = SOME_LEFT_AS_STOCK;
        out.printf("%-7s %-14s %s: not a client h2fix knows (%s); left as stock%n",
            "other", unknown.version(), unknown.root().name(), unknown.what());
      }
      out.println(jdkLine());
      if (!found) {
        out.println("No HTTP/2 client library found in " + roots.describe() + ".");
      }
      return exit;
    }
  }

  private static String line(Client client, ClassPathRoots.Root holder, ShapeCheck.Verdict verdict, ClassPathRoots roots) {
    String head = String.format("%-7s %-14s %s", client.id(), holder.version(), holder.name());
    if (verdict.patched()) {
      return head + ": patched [" + verdict.variant().name() + " shape]: " + verdict.variant().patches().size()
          + " patches" + (client == Client.JETTY ? JettyPieces.describe(roots) : "");
    }
    return head + ": left as stock: not a shape h2fix knows (" + verdict.mismatch() + ")";
  }

  /**
   * The JDK's own client, judged by the same shape check over the running JDK's class files (read as
   * resources of the platform loader, nothing loaded). Not counted in the exit code: the deployment
   * may run another JDK.
   */
  private static String jdkLine() {
    String head = String.format("%-7s %-14s %s", Client.JDK.id(), Runtime.version().toString(), "running JDK");
    if (ModuleLayer.boot().findModule("java.net.http").isEmpty()) {
      return head + ": java.net.http is not in this JDK";
    }
    ClientModule jdk = null;
    for (ClientModule module : SupportedClients.all()) {
      if (module.client() == Client.JDK) {
        jdk = module;
      }
    }
    if (jdk == null) {
      return head + ": java.net.http.HttpClient available; no h2fix module for it";
    }
    ShapeCheck.Verdict verdict = ShapeCheck.of(
        jdk.variants(), ShapeCheck.poolOver(ClassFileLocator.ForClassLoader.of(ClassLoader.getPlatformClassLoader())));
    String note = " (the JDK running this check, which may not be the deployment's)";
    if (verdict.patched()) {
      return head + ": patched [" + verdict.variant().name() + " shape]: " + verdict.variant().patches().size()
          + " patches" + note;
    }
    return head + ": left as stock: not a shape h2fix knows (" + verdict.mismatch() + ")" + note;
  }
}
