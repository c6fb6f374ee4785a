package dev.h2fix.scenarios;

import dev.h2fix.runtime.Stats;

/**
 * Loaded by {@link IsolatedLoader} in a class loader that sees neither the application class path
 * nor the agent jar: it can only reach h2fix's runtime through the bootstrap loader, exactly like
 * advice inlined into a library loaded there.
 */
public final class RuntimeProbe {
  private RuntimeProbe() {}

  /** Returns the loader that resolved the runtime for this class: null means bootstrap. */
  public static ClassLoader runtimeLoader() {
    Stats.snapshot();
    return Stats.class.getClassLoader();
  }
}
