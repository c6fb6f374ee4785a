package dev.h2fix.tooling;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.Stats;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a named JDK module (java.net.http) read the module of h2fix's runtime (the bootstrap loader's
 * unnamed module), so that advice inlined into its classes can call the runtime. A named module
 * reads no unnamed module by default; {@link Instrumentation#redefineModule} adds the one edge, no
 * export or open. Done once per module, before its first class is patched; if it cannot be done
 * the module's classes stay stock.
 */
final class ReadEdges {
  private final Instrumentation inst;
  private final Map<String, Boolean> done = new ConcurrentHashMap<>();

  ReadEdges(Instrumentation inst) {
    this.inst = inst;
  }

  boolean ensure(Client client, String moduleName) {
    // No lambda (a JVM's first bootstraps method handles on this class-loading thread) and no
    // computation under the map's bin lock: two threads may add the edge together, which is idempotent.
    Boolean known = done.get(moduleName);
    if (known != null) {
      return known;
    }
    Boolean added = add(client, moduleName);
    Boolean raced = done.putIfAbsent(moduleName, added);
    return raced != null ? raced : added;
  }

  private Boolean add(Client client, String moduleName) {
    try {
      Module target = ModuleLayer.boot().findModule(moduleName).orElse(null);
      Module runtime = Stats.class.getModule();
      if (target == null || inst == null) {
        H2FixLog.warn(client.id() + " left as stock: cannot make " + moduleName + " read the h2fix runtime");
        return Boolean.FALSE;
      }
      if (!target.canRead(runtime)) {
        inst.redefineModule(target, Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());
      }
      return Boolean.TRUE;
    } catch (Throwable t) {
      Stats.increment(client, Event.ADVICE_FAILURES);
      H2FixLog.warn(client.id() + " left as stock: " + moduleName + " read edge failed (" + t.getClass().getName() + ")");
      return Boolean.FALSE;
    }
  }
}
