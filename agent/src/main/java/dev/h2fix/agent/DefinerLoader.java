package dev.h2fix.agent;

/**
 * A throwaway class loader (parent: the bootstrap loader) that holds one class,
 * {@code dev.h2fix.agent.definer.RuntimeDefiner}: its unnamed module is the only module java.base
 * exports {@code jdk.internal.misc} to. Nothing else is ever defined in it, and nothing keeps it once
 * the runtime is defined.
 *
 * <p>A module layer of its own would do the same and cost 10-11 ms of premain (resolving a
 * configuration); this costs well under 1 ms.
 */
final class DefinerLoader extends ClassLoader {
  static final String CLASS = "dev.h2fix.agent.definer.RuntimeDefiner";
  static final String RESOURCE = "/" + CLASS.replace('.', '/') + ".class";

  DefinerLoader() {
    super("h2fix-definer", null);
  }

  Class<?> define(byte[] classFile) {
    return defineClass(CLASS, classFile, 0, classFile.length);
  }
}
