package dev.h2fix.tooling;

/**
 * Which class loader would define a class, found without loading it: the loader of the boot-layer
 * module that holds its package (the JDK's own clients), else the system class loader when it has
 * the class file (the class path). Used only to decide ahead of time; the transformer still keys
 * everything on the loader the JVM names when the class really loads.
 *
 * @param loader the defining loader; null for the bootstrap loader
 */
record LibraryLocation(ClassLoader loader) {

  /** Where the class would come from, or null when neither the JDK nor the class path has it. */
  static LibraryLocation of(String binaryName) {
    int dot = binaryName.lastIndexOf('.');
    String pkg = dot < 0 ? "" : binaryName.substring(0, dot);
    for (Module m : ModuleLayer.boot().modules()) {
      if (m.getPackages().contains(pkg)) {
        return new LibraryLocation(m.getClassLoader());
      }
    }
    ClassLoader system = ClassLoader.getSystemClassLoader();
    // A system loader that is not parallel-capable (-Djava.system.class.loader) is not even asked:
    // its methods may take the monitor an application thread holds while in the transformer.
    if (system != null && system.isRegisteredAsParallelCapable()
        && system.getResource(binaryName.replace('.', '/') + ".class") != null) {
      return new LibraryLocation(system);
    }
    return null;
  }

  /** Loading from a loader that is not parallel-capable takes its one monitor: no background work there. */
  boolean parallelCapable() {
    return loader == null || loader.isRegisteredAsParallelCapable();
  }
}
