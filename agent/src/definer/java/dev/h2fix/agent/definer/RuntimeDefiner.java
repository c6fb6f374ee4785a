package dev.h2fix.agent.definer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Defines h2fix's runtime classes in the bootstrap class loader through the JDK's internal Unsafe.
 *
 * <p>This class runs only as the one class of a throwaway class loader h2fix makes at premain (see
 * dev.h2fix.agent.DefinerLoader), whose unnamed module is the one module java.base exports
 * {@code jdk.internal.misc} to: no application class gains access to the JDK's internals. It
 * defines once; any later call is refused.
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
  public static void defineOnce(Map<String, byte[]> classes) throws ReflectiveOperationException {
    if (!USED.compareAndSet(false, true)) {
      throw new IllegalStateException("h2fix's runtime definer was already used");
    }
    Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
        ClassLoader.class, java.security.ProtectionDomain.class);
    Map<String, byte[]> pending = new LinkedHashMap<>(classes);
    for (int round = 0; round < classes.size() && !pending.isEmpty(); round++) {
      boolean progress = false;
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, byte[]> c = it.next();
        try {
          define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
          it.remove();
          progress = true;
        } catch (InvocationTargetException e) {
          if (!(e.getCause() instanceof NoClassDefFoundError)) {
            throw e;
          }
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
