package dev.h2fix.tooling;

import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.Stats;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one transformer h2fix registers. Every class the JVM loads passes through
 * {@link #transform}, so the common case is a single hash lookup of the class name that misses.
 * Only when a class a module targets loads does it check the library's shape (once per class
 * loader) and build that module's Byte Buddy transformation (once per variant). A JVM that never
 * loads an HTTP/2 client never initialises Byte Buddy: that is what keeps start-up cheap (this
 * class names no Byte Buddy type, so verifying it loads none either).
 */
public final class H2FixTransformer implements ClassFileTransformer {
  private final Map<String, ClientModule> modulesByInternalName = new HashMap<>();
  private final ShapeVerdicts verdicts = new ShapeVerdicts();
  private final Map<Variant, ClassFileTransformer> byteBuddy = new ConcurrentHashMap<>();
  private final List<ClientModule> active = new java.util.ArrayList<>();
  private final ReadEdges readEdges;

  public H2FixTransformer(List<ClientModule> modules) {
    this(modules, null);
  }

  /** @param inst needed by modules of a named JDK module ({@link ClientModule#namedModule()}); else may be null */
  public H2FixTransformer(List<ClientModule> modules, java.lang.instrument.Instrumentation inst) {
    this.readEdges = new ReadEdges(inst);
    for (ClientModule module : modules) {
      Set<String> types;
      try {
        types = module.targetTypes();
      } catch (Throwable t) {
        // A module that cannot even describe itself is left out; the others go on.
        Stats.increment(module.client(), Event.ADVICE_FAILURES);
        H2FixLog.warn(module.client().id() + " module left out: " + t.getClass().getName());
        continue;
      }
      for (String type : types) {
        modulesByInternalName.put(type.replace('.', '/'), module);
      }
      active.add(module);
    }
  }

  /** The modules installed: those given, less any that could not describe itself. */
  public List<ClientModule> activeModules() {
    return List.copyOf(active);
  }

  /** Binary names of every class this transformer may change, for retransforming already loaded ones. */
  public Set<String> targetTypeNames() {
    Set<String> names = new java.util.HashSet<>();
    for (String internal : modulesByInternalName.keySet()) {
      names.add(internal.replace('/', '.'));
    }
    return names;
  }

  @Override
  public byte[] transform(
      ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] classfile) {
    if (className == null) {
      return null;
    }
    ClientModule module = modulesByInternalName.get(className);
    if (module == null) {
      return null;
    }
    try {
      Variant variant = verdicts.variantFor(module, loader, domain);
      if (variant == null || variant.patches().isEmpty()) {
        return null;
      }
      if (module.namedModule() != null && !readEdges.ensure(module.client(), module.namedModule())) {
        return null;
      }
      return byteBuddy
          .computeIfAbsent(variant, v -> VariantTransformer.build(module.client(), v))
          .transform(loader, className, redefined, domain, classfile);
    } catch (Throwable t) {
      // Never let a failure reach the class being loaded: it loads as stock.
      Stats.increment(module.client(), Event.ADVICE_FAILURES);
      H2FixLog.warnOnce(
          "transform:" + className,
          "could not patch " + className.replace('/', '.') + " (" + t.getClass().getName() + "); left as stock");
      return null;
    }
  }
}
