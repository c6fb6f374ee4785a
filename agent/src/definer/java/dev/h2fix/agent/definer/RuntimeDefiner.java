package dev.h2fix.agent.definer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.internal.misc.Unsafe;

/**
 * Defines h2fix's runtime classes in the bootstrap class loader through the JDK's internal Unsafe.
 *
 * <p>This class runs only as the one class of a throwaway class loader h2fix makes at premain (see
 * dev.h2fix.agent.DefinerLoader), whose unnamed module is the one module java.base exports
 * {@code jdk.internal.misc} to: no application class gains access to the JDK's internals. It
 * defines once; any later call is refused.
 *
 * <p>It calls Unsafe directly, not through reflection: on Java 17 the 16th reflective call of one
 * method generates an accessor class, 3 ms of premain for nothing. So it is compiled on its own,
 * with {@code jdk.internal.misc} exported to it (agent/pom.xml, execution compile-definer); its
 * sources are apart from the agent's for that reason. Should a JDK drop the method, linking fails
 * with a {@link LinkageError}, which the agent's fallback handles like any other failure here.
 *
 * <p>Uses JDK types only. The copy of this class the application loader could load from h2fix.jar
 * is in another module, to which nothing is exported: it can define nothing.
 */
public final class RuntimeDefiner {
  private static final AtomicBoolean USED = new AtomicBoolean();

  private RuntimeDefiner() {}

  /**
   * Defines every class of {@code classes} (binary name to class file) in the bootstrap loader. A
   * class whose supertype is not defined yet is retried in the next round.
   *
   * @throws IllegalStateException on a second call, or when some class could not be defined
   */
  public static void defineOnce(Map<String, byte[]> classes) {
    if (!USED.compareAndSet(false, true)) {
      throw new IllegalStateException("h2fix's runtime definer was already used");
    }
    Unsafe unsafe = Unsafe.getUnsafe();
    Map<String, byte[]> pending = new LinkedHashMap<>(classes);
    for (int round = 0; round < classes.size() && !pending.isEmpty(); round++) {
      boolean progress = false;
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, byte[]> c = it.next();
        try {
          unsafe.defineClass(c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
          it.remove();
          progress = true;
        } catch (NoClassDefFoundError e) {
          // Its supertype comes later in the map: the next round defines it.
        }
      }
      if (!progress) {
        break;
      }
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException("could not define " + pending.keySet());
    }
  }
}
