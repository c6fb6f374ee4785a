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
      decided = store(module, loader, Decided.checked(decide(variants, loader)));
    }
    reportOnce(module, decided, loader, domain);
    return decided.variant(variants);
  }

  /**
   * Records the verdict a {@link KnownBuild} gives (its digests matched, so the shape check would
   * give the same without reading a class through Byte Buddy), reporting it the first time as
   * {@link #variantFor} would. True when that build's variant is the one that applies in this
   * loader: always, unless another verdict was stored there first.
   */
  boolean knownApplies(ClientModule module, KnownBuild build, ClassLoader loader, ProtectionDomain domain) {
    Decided decided = lookup(module, loader);
    if (decided == null) {
      decided = store(module, loader, Decided.known(build));
    }
    reportOnce(module, decided, loader, domain);
    return build.variant().equals(decided.variantName);
  }

  /** Decides ahead of time, without reporting; returns the variant that will apply, or null. */
  Variant prepare(ClientModule module, List<Variant> variants, ClassLoader loader) {
    Decided decided = lookup(module, loader);
    if (decided == null) {
      decided = store(module, loader, Decided.checked(decide(variants, loader)));
    }
    return decided.variant(variants);
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

  private static void reportOnce(ClientModule module, Decided decided, ClassLoader loader, ProtectionDomain domain) {
    if (decided.reported.compareAndSet(false, true)) {
      report(module, decided, loader, domain);
    }
  }

  private static void report(ClientModule module, Decided decided, ClassLoader loader, ProtectionDomain domain) {
    String where = module.client().id() + " " + LibraryVersion.of(domain) + " in " + describe(loader);
    if (decided.variantName != null) {
      String line = where + " [" + decided.variantName + " shape]: " + decided.patches + " patches";
      H2FixRuntime.reportPatched(line);
      H2FixLog.info("patched " + line);
    } else {
      String line = where + " left as stock: not a shape h2fix knows (" + decided.mismatch + ")";
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

  /**
   * A verdict and whether it has been logged: from the shape check (with its variant), or from a
   * known build (its variant's name only, so that no Byte Buddy matcher is built for it).
   */
  private static final class Decided {
    /** Null: left as stock. */
    final String variantName;
    final int patches;
    final String mismatch;
    private final Variant checked;
    final AtomicBoolean reported = new AtomicBoolean();

    private Decided(String variantName, int patches, String mismatch, Variant checked) {
      this.variantName = variantName;
      this.patches = patches;
      this.mismatch = mismatch;
      this.checked = checked;
    }

    static Decided checked(ShapeCheck.Verdict verdict) {
      Variant v = verdict.variant();
      return v == null
          ? new Decided(null, 0, verdict.mismatch(), null)
          : new Decided(v.name(), v.patches().size(), null, v);
    }

    static Decided known(KnownBuild build) {
      return new Decided(build.variant(), build.patches(), null, null);
    }

    /** The variant that applies, found among the module's by name when the verdict came from a known build. */
    Variant variant(List<Variant> variants) {
      if (variantName == null || checked != null) {
        return checked;
      }
      for (Variant v : variants) {
        if (v.name().equals(variantName)) {
          return v;
        }
      }
      return null;
    }
  }
}
