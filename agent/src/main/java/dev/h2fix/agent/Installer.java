package dev.h2fix.agent;

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
    if (!retransformLoaded) {
      // At premain: the lines wait for the application's start-up, see StartupReport.LOG_HOLD_MS.
      H2FixLog.holdUntil(startNanos + StartupReport.LOG_HOLD_MS * 1_000_000);
    }
    List<ClientModule> modules = SupportedClients.enabled(config);
    H2FixTransformer transformer = new H2FixTransformer(modules, inst, config.knownBuilds());
    inst.addTransformer(transformer, true);
    Runnable late = null;
    if (retransformLoaded) {
      retransformLoaded(inst, transformer.targetTypeNames());
    } else {
      // At premain a JDK module's classes (java.net.http) are normally not loaded yet, but may be
      // (another agent, a launcher): patch those too, off the main thread so start-up pays nothing.
      late = new RetransformJdkModules(inst, modules);
    }
    long micros = (System.nanoTime() - startNanos) / 1_000;
    String line = startupLine(config, transformer.activeModules(), micros);
    new StartupReport(line, config, transformer, late, startNanos).start();
  }

  static void retransformLoaded(Instrumentation inst, Set<String> targets) {
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

  /** Retransforms the already loaded classes of modules that live in the JDK itself. */
  private static final class RetransformJdkModules implements Runnable {
    private final Instrumentation inst;
    private final List<ClientModule> modules;

    RetransformJdkModules(Instrumentation inst, List<ClientModule> modules) {
      this.inst = inst;
      this.modules = modules;
    }

    @Override
    public void run() {
      Set<String> targets = new java.util.HashSet<>();
      for (ClientModule m : modules) {
        if (m.namedModule() != null) {
          targets.addAll(m.targetTypes());
        }
      }
      if (!targets.isEmpty()) {
        retransformLoaded(inst, targets);
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
        + "; config: " + config;
  }
}
