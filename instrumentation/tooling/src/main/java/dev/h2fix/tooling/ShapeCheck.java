package dev.h2fix.tooling;

import java.util.List;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The one place that decides which variant of a module fits a copy of a library: the first whose
 * {@link LibraryShape} the library's class files match. Used by the agent at run time (class files
 * read through the defining class loader) and by {@code java -jar h2fix.jar check} (read from jars),
 * so both reach the same verdict. Reads class files only; loads nothing.
 */
public final class ShapeCheck {
  private ShapeCheck() {}

  /**
   * @param variant the variant to apply, or null when the library is left as stock
   * @param mismatch when left as stock, the first variant's name and the first requirement it misses
   */
  public record Verdict(Variant variant, String mismatch) {
    public boolean patched() {
      return variant != null;
    }
  }

  /**
   * The pool both the agent and the check read class files through. Lazy: a type is parsed only
   * when a requirement looks into it, and a parameter type is known by its name from the method's
   * descriptor, so a check over a partial set of jars does not fail on a class it never needs.
   */
  public static TypePool poolOver(ClassFileLocator classFiles) {
    return TypePool.Default.WithLazyResolution.of(classFiles);
  }

  public static Verdict of(List<Variant> variants, TypePool pool) {
    String firstMismatch = null;
    for (Variant variant : variants) {
      String mismatch = variant.shape().firstMismatch(pool);
      if (mismatch == null) {
        return new Verdict(variant, null);
      }
      if (firstMismatch == null) {
        firstMismatch = variant.name() + " shape: " + mismatch;
      }
    }
    return new Verdict(null, firstMismatch == null ? "no variant" : firstMismatch);
  }
}
