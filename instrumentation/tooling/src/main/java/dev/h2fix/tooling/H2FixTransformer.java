package dev.h2fix.tooling;

import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.Stats;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one transformer h2fix registers. Every class the JVM loads passes through
 * {@link #transform}, so the common case is a single hash lookup of the class name that misses.
 * Only when a class a module targets loads does it check the library's shape (once per class
 * loader) and apply that module's Byte Buddy transformation (built once per variant). First,
 * though, it asks {@link KnownBuilds}: a class of a library build h2fix.jar carries patched gets
 * those bytes, and Byte Buddy is never loaded.
 *
 * <p>Nothing of Byte Buddy is touched at premain: the constructor reads the modules' target names
 * only (this class names no Byte Buddy type, so verifying it loads none either). When a supported
 * library is on the class path, {@link #prewarm} (run by the background thread h2fix-init) decides
 * its shape, builds its transformer and runs Byte Buddy once over a class of h2fix's own, so that
 * the application thread that loads the library's first class finds the work done; see
 * {@link Prewarm} for why no thread ever waits for another here.
 */
public final class H2FixTransformer implements ClassFileTransformer {
  private final Map<String, ClientModule> modulesByInternalName = new HashMap<>();
  private final ShapeVerdicts verdicts = new ShapeVerdicts();
  /** A module whose variants patch a type it does not list: never patched. */
  private static final List<Variant> REFUSED = java.util.Collections.unmodifiableList(new ArrayList<>());

  private final ConcurrentHashMap<ClientModule, List<Variant>> variants = new ConcurrentHashMap<>();
  /**
   * Per variant: [0] injects the helpers into the library's loader, [1] does not (the agent's own
   * loader). By identity (each variant is built once): a record's hashCode would bootstrap method
   * handles on first use and hash every patch on each lookup.
   */
  private final Map<Variant, ClassFileTransformer[]> byteBuddy = Collections.synchronizedMap(new IdentityHashMap<>());
  private final ClassLoader agentLoader = H2FixTransformer.class.getClassLoader();
  private final List<ClientModule> active = new ArrayList<>();
  private final Prewarm prewarm = new Prewarm();
  private final ReadEdges readEdges;
  private final KnownBuilds knownBuilds;

  public H2FixTransformer(List<ClientModule> modules) {
    this(modules, null, true);
  }

  /**
   * @param inst needed by modules of a named JDK module ({@link ClientModule#namedModule()}); else may be null
   * @param useKnownBuilds whether classes of a {@link KnownBuild} get their patched bytes from h2fix.jar
   */
  public H2FixTransformer(List<ClientModule> modules, java.lang.instrument.Instrumentation inst, boolean useKnownBuilds) {
    this.readEdges = new ReadEdges(inst);
    this.knownBuilds = new KnownBuilds(agentLoader, useKnownBuilds);
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
      long start = System.nanoTime();
      KnownBuilds.Hit hit = knownBuilds.lookup(module.client().id(), loader, className, classfile);
      if (hit != null && verdicts.knownApplies(module, hit.build(), loader, domain)) {
        if (H2FixLog.isDebug()) {
          H2FixLog.debug("transformed " + className.replace('/', '.') + " in " + (System.nanoTime() - start) / 1000
              + " us on " + Thread.currentThread().getName() + ", known build " + hit.build().label()
              + (hit.patched() == null ? ", unchanged" : ", digest " + ClassDigest.shortHex(hit.patched())));
        }
        return hit.patched();
      }
      String when = prewarm.arrive();
      List<Variant> known = variantsOf(module);
      if (known == null) {
        return null;
      }
      Variant variant = verdicts.variantFor(module, known, loader, domain);
      if (variant == null || variant.patches().isEmpty()) {
        return null;
      }
      if (module.namedModule() != null && !readEdges.ensure(module.client(), module.namedModule())) {
        return null;
      }
      byte[] patched = transformerFor(module, variant, loader).transform(loader, className, redefined, domain, classfile);
      if (H2FixLog.isDebug()) {
        H2FixLog.debug("transformed " + className.replace('/', '.') + " in " + (System.nanoTime() - start) / 1000
            + " us on " + Thread.currentThread().getName() + ", " + when
            + (patched == null ? ", unchanged" : ", digest " + ClassDigest.shortHex(patched)));
      }
      return patched;
    } catch (Throwable t) {
      // Never let a failure reach the class being loaded: it loads as stock.
      Stats.increment(module.client(), Event.ADVICE_FAILURES);
      H2FixLog.warnOnce(
          "transform:" + className,
          "could not patch " + className.replace('/', '.') + " (" + t.getClass().getName() + "); left as stock");
      return null;
    }
  }

  /**
   * Background work for h2fix-init, never on an application thread: for every module whose library
   * is visible to the system class loader (found as a class file, never loaded; the JDK's own
   * client is left out, see below), decide its shape there and build its transformer; then run Byte
   * Buddy once. Skipped when an application
   * thread has already started on a patched class, and stopped at the next step when one starts
   * meanwhile (it then does that work itself). Never throws.
   */
  public void prewarm() {
    if (!Prewarm.allowed() || !prewarm.tryStart()) {
      return;
    }
    long start = System.nanoTime();
    int built = 0;
    try {
      for (ClientModule module : active) {
        if (prewarm.overtaken()) {
          break;
        }
        if (module.namedModule() != null) {
          // A JDK module's client is in every JVM, used by few: warming it would load Byte Buddy in
          // every JVM h2fix is attached to. It is built at its first class load instead.
          continue;
        }
        LibraryLocation location = LibraryLocation.of(module.detectionType());
        if (location == null || !location.parallelCapable()) {
          continue;
        }
        if (knownBuilds.confirmAhead(module.client().id(), location.loader(), module.detectionType())) {
          continue; // its classes come patched from h2fix.jar, now confirmed: no Byte Buddy to warm
        }
        List<Variant> known = variantsOf(module);
        if (known == null) {
          continue;
        }
        Variant variant = verdicts.prepare(module, known, location.loader());
        if (variant != null && !variant.patches().isEmpty() && !prewarm.overtaken()) {
          transformerFor(module, variant, location.loader());
          built++;
        }
      }
      if (built > 0 && !prewarm.overtaken()) {
        ByteBuddyWarmUp.run();
      }
      if (H2FixLog.isDebug()) {
        H2FixLog.debug("warm-up: " + built + " transformers built in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      }
    } catch (Throwable t) {
      // Only a head start: whatever failed here is done again, and reported, at the first class load.
      H2FixLog.debug("warm-up stopped: " + t.getClass().getName());
    } finally {
      prewarm.finish();
    }
  }

  /**
   * The module's variants, built once. Null when a variant patches a type the module did not name in
   * {@link ClientModule#targetTypes()}: such a patch would never run, so the module is left out
   * whole rather than half-applied.
   */
  private List<Variant> variantsOf(ClientModule module) {
    List<Variant> known = variants.get(module);
    if (known != null) {
      return known == REFUSED ? null : known;
    }
    List<Variant> built = module.variants();
    Set<String> gated = module.targetTypes();
    for (String type : ClientModule.typesOf(module.detectionType(), built)) {
      if (!gated.contains(type)) {
        H2FixLog.warnOnce("targets:" + module.client().id(), module.client().id()
            + " module left out: it patches " + type + " but does not list it in targetTypes()");
        Stats.increment(module.client(), Event.ADVICE_FAILURES);
        variants.put(module, REFUSED);
        return null;
      }
    }
    List<Variant> earlier = variants.putIfAbsent(module, built);
    return earlier != null ? earlier : built;
  }

  /**
   * The variant's Byte Buddy transformer for classes of {@code loader}; built outside any lock, at
   * most one per variant and kind, the first one stored wins.
   */
  private ClassFileTransformer transformerFor(ClientModule module, Variant variant, ClassLoader loader) {
    int kind = loader != null && loader == agentLoader ? 1 : 0;
    ClassFileTransformer[] slots = byteBuddy.get(variant);
    if (slots == null) {
      ClassFileTransformer[] fresh = new ClassFileTransformer[2];
      ClassFileTransformer[] earlier = byteBuddy.putIfAbsent(variant, fresh);
      slots = earlier != null ? earlier : fresh;
    }
    synchronized (slots) {
      if (slots[kind] != null) {
        return slots[kind];
      }
    }
    ClassFileTransformer built = VariantTransformer.build(module.client(), variant, kind == 0);
    synchronized (slots) {
      if (slots[kind] == null) {
        slots[kind] = built;
      }
      return slots[kind];
    }
  }
}
