package dev.h2fix.agent;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.H2FixConfig;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.tooling.ClientModule;
import dev.h2fix.tooling.H2FixTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Installs h2fix into this JVM, once. Loaded only after {@link BootstrapRuntime} has put the runtime
 * on the bootstrap class path, so every runtime type it names resolves to the bootstrap copy.
 */
final class Installer {
  private Installer() {}

  /**
   * @param retransformLoaded true when attaching to a running JVM, whose client classes may already be loaded
   * @throws dev.h2fix.runtime.ConfigException on a bad configuration, before anything is changed
   */
  static synchronized void install(Instrumentation inst, String agentArgs, boolean retransformLoaded, long startNanos) {
    if (H2FixRuntime.isInstalled()) {
      return;
    }
    H2FixConfig config = H2FixConfig.parse(agentArgs, System.getProperties());
    H2FixRuntime.markInstalled(AgentVersion.get(), config);
    List<ClientModule> modules = SupportedClients.enabled(config);
    H2FixTransformer transformer = new H2FixTransformer(modules);
    inst.addTransformer(transformer, true);
    if (retransformLoaded) {
      retransformLoaded(inst, transformer.targetTypeNames());
    }
    long micros = (System.nanoTime() - startNanos) / 1_000;
    String line = startupLine(config, transformer.activeModules(), micros);
    new StartupReport(line, config, transformer).start();
  }

  private static void retransformLoaded(Instrumentation inst, Set<String> targets) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (targets.contains(c.getName()) && inst.isModifiableClass(c)) {
        loaded.add(c);
      }
    }
    for (Class<?> c : loaded) {
      try {
        inst.retransformClasses(c);
      } catch (Throwable t) {
        H2FixLog.warn("could not patch already loaded " + c.getName() + " (" + t.getClass().getName() + ")");
      }
    }
  }

  static String startupLine(H2FixConfig config, List<ClientModule> modules, long micros) {
    StringJoiner active = new StringJoiner(", ");
    for (ClientModule m : modules) {
      active.add(m.client().id());
    }
    StringJoiner off = new StringJoiner(", ");
    for (ClientModule m : SupportedClients.all()) {
      if (!config.isEnabled(m.client())) {
        off.add(m.client().id());
      }
    }
    return H2FixRuntime.version()
        + " installed in " + (micros / 1000) + "." + (micros % 1000 / 100) + " ms"
        + "; modules active: " + (active.length() == 0 ? "none" : active)
        + (off.length() == 0 ? "" : "; off: " + off)
        + "; " + Client.JDK.id() + ": not yet supported"
        + "; config: " + config;
  }
}
