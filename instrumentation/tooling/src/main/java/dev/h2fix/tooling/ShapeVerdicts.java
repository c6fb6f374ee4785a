package dev.h2fix.tooling;

import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.H2FixRuntime;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * Which variant of a module applies in which class loader, decided once per loader and logged the
 * first time one of the module's classes loads there: one info line when patched, one warning line
 * when the library's shape is not one h2fix knows (then nothing of it is patched).
 *
 * <p>A verdict may be decided ahead of time in the background ({@link #prepare}); it is still
 * reported only when the library's first class loads. No lock is held while deciding or logging:
 * the monitor guards map reads and writes only, so a class-loading thread never waits here for
 * work another thread is doing. Two threads may decide the same verdict at once; the first stored
 * wins (both are the same, the check being deterministic).
 */
final class ShapeVerdicts {
  private static final Object BOOTSTRAP = new Object();

  private final Map<ClientModule, Map<Object, Decided>> verdicts = new WeakHashMap<>();

  /** The variant to apply to classes of {@code module} defined by {@code loader}, or null to leave them as stock. */
  Variant variantFor(ClientModule module, List<Variant> variants, ClassLoader loader, ProtectionDomain domain) {
    Decided decided = lookup(module, loader);
    if (decided == null) {
      decided = store(module, loader, new Decided(decide(variants, loader)));
    }
    if (decided.reported.compareAndSet(false, true)) {
      report(module, decided.verdict, loader, domain);
    }
    return decided.verdict.variant();
  }

  /** Decides ahead of time, without reporting; returns the variant that will apply, or null. */
  Variant prepare(ClientModule module, List<Variant> variants, ClassLoader loader) {
    Decided decided = lookup(module, loader);
    if (decided == null) {
      decided = store(module, loader, new Decided(decide(variants, loader)));
    }
    return decided.verdict.variant();
  }

  private synchronized Decided lookup(ClientModule module, ClassLoader loader) {
    Map<Object, Decided> perLoader = verdicts.get(module);
    return perLoader == null ? null : perLoader.get(key(loader));
  }

  private synchronized Decided store(ClientModule module, ClassLoader loader, Decided decided) {
    Map<Object, Decided> perLoader = verdicts.get(module);
    if (perLoader == null) {
      perLoader = new WeakHashMap<>();
      verdicts.put(module, perLoader);
    }
    Decided earlier = perLoader.get(key(loader));
    if (earlier != null) {
      return earlier;
    }
    perLoader.put(key(loader), decided);
    return decided;
  }

  private static Object key(ClassLoader loader) {
    return loader == null ? BOOTSTRAP : loader;
  }

  private static ShapeCheck.Verdict decide(List<Variant> variants, ClassLoader loader) {
    return ShapeCheck.of(variants, ShapeCheck.poolOver(ClassFileLocator.ForClassLoader.of(loader)));
  }

  private static void report(ClientModule module, ShapeCheck.Verdict verdict, ClassLoader loader, ProtectionDomain domain) {
    String where = module.client().id() + " " + LibraryVersion.of(domain) + " in " + describe(loader);
    if (verdict.patched()) {
      Variant variant = verdict.variant();
      String line = where + " [" + variant.name() + " shape]: " + variant.patches().size() + " patches";
      H2FixRuntime.reportPatched(line);
      H2FixLog.info("patched " + line);
    } else {
      String line = where + " left as stock: not a shape h2fix knows (" + verdict.mismatch() + ")";
      H2FixRuntime.reportSkipped(line);
      H2FixLog.warn(line);
    }
  }

  static String describe(ClassLoader loader) {
    if (loader == null) {
      return "bootstrap loader";
    }
    String name = loader.getName();
    return (name != null ? name : loader.getClass().getSimpleName())
        + "@" + Integer.toHexString(System.identityHashCode(loader));
  }

  /** A verdict and whether it has been logged. */
  private static final class Decided {
    final ShapeCheck.Verdict verdict;
    final AtomicBoolean reported = new AtomicBoolean();

    Decided(ShapeCheck.Verdict verdict) {
      this.verdict = verdict;
    }
  }
}
