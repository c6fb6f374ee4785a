package dev.h2fix.tooling;

import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.H2FixRuntime;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Which variant of a module applies in which class loader, decided once per loader the first time
 * one of the module's classes loads there, and logged then: one info line when patched, one warning
 * line when the library's shape is not one h2fix knows (then nothing of it is patched).
 */
final class ShapeVerdicts {
  private static final Object BOOTSTRAP = new Object();
  private static final Variant SKIPPED = new Variant("skipped", LibraryShape.builder(), java.util.List.of());

  private final Map<ClientModule, Map<Object, Variant>> verdicts = new WeakHashMap<>();

  /** The variant to apply to classes of {@code module} defined by {@code loader}, or null to leave them as stock. */
  synchronized Variant variantFor(ClientModule module, ClassLoader loader, ProtectionDomain domain) {
    Map<Object, Variant> perLoader = verdicts.computeIfAbsent(module, m -> new WeakHashMap<>());
    Object key = loader == null ? BOOTSTRAP : loader;
    Variant verdict = perLoader.get(key);
    if (verdict == null) {
      verdict = decide(module, loader, domain);
      perLoader.put(key, verdict);
    }
    return verdict == SKIPPED ? null : verdict;
  }

  private static Variant decide(ClientModule module, ClassLoader loader, ProtectionDomain domain) {
    TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
    String version = LibraryVersion.of(domain);
    String where = module.client().id() + " " + version + " in " + describe(loader);
    String firstMismatch = null;
    for (Variant variant : module.variants()) {
      String mismatch = variant.shape().firstMismatch(pool);
      if (mismatch == null) {
        String line = where + " [" + variant.name() + " shape]: " + variant.patches().size() + " patches";
        H2FixRuntime.reportPatched(line);
        H2FixLog.info("patched " + line);
        return variant;
      }
      if (firstMismatch == null) {
        firstMismatch = variant.name() + " shape: " + mismatch;
      }
    }
    String line = where + " left as stock: not a shape h2fix knows (" + firstMismatch + ")";
    H2FixRuntime.reportSkipped(line);
    H2FixLog.warn(line);
    return SKIPPED;
  }

  static String describe(ClassLoader loader) {
    if (loader == null) {
      return "bootstrap loader";
    }
    String name = loader.getName();
    return (name != null ? name : loader.getClass().getSimpleName())
        + "@" + Integer.toHexString(System.identityHashCode(loader));
  }
}
