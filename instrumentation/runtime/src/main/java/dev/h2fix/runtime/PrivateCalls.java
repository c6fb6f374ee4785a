package dev.h2fix.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls a method of a library class that advice cannot name at compile time (the JDK client's
 * classes are in a package no module exports), with the access of the library class the advice is
 * inlined into: the advice passes {@code MethodHandles.lookup()}, which, once inlined, is a lookup of
 * that library class. No module is opened for it. Handles are cached per lookup class and method.
 * Meant for rare paths (a dying connection), not for every request.
 */
public final class PrivateCalls {
  private static final ConcurrentHashMap<String, MethodHandle> HANDLES = new ConcurrentHashMap<>();

  private PrivateCalls() {}

  /**
   * Invokes {@code owner.name(parameterTypes)} on {@code receiver}. Throws whatever the method or the
   * lookup throws: callers are advice with {@code suppress = Throwable.class} or catch it themselves.
   */
  public static Object call(
      MethodHandles.Lookup lookup,
      String owner,
      String name,
      Class<?> returnType,
      Class<?>[] parameterTypes,
      Object receiver,
      Object... arguments)
      throws Throwable {
    String key = lookup.lookupClass().getName() + "|" + owner + "." + name + MethodType.methodType(returnType, parameterTypes);
    MethodHandle handle = HANDLES.get(key);
    if (handle == null) {
      Class<?> ownerClass = Class.forName(owner, false, lookup.lookupClass().getClassLoader());
      handle = lookup.findVirtual(ownerClass, name, MethodType.methodType(returnType, parameterTypes));
      HANDLES.putIfAbsent(key, handle);
    }
    Object[] all = new Object[arguments.length + 1];
    all[0] = receiver;
    System.arraycopy(arguments, 0, all, 1, arguments.length);
    return handle.invokeWithArguments(all);
  }

  /** Reads field {@code name} declared by {@code owner} from {@code receiver}, with the lookup's access. */
  public static Object field(MethodHandles.Lookup lookup, String owner, String name, Object receiver) throws Throwable {
    String key = lookup.lookupClass().getName() + "|" + owner + "#" + name;
    MethodHandle handle = HANDLES.get(key);
    if (handle == null) {
      Class<?> ownerClass = Class.forName(owner, false, lookup.lookupClass().getClassLoader());
      handle = lookup.unreflectGetter(ownerClass.getDeclaredField(name));
      HANDLES.putIfAbsent(key, handle);
    }
    return handle.invoke(receiver);
  }

  /** Loads a class by name with the loader of the lookup's class. */
  public static Class<?> type(MethodHandles.Lookup lookup, String name) throws ClassNotFoundException {
    return Class.forName(name, false, lookup.lookupClass().getClassLoader());
  }
}
