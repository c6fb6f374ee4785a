package dev.h2fix.agent;

import dev.h2fix.runtime.H2FixRuntime;

/** Reads the bootstrap runtime's state; kept apart so that it is loaded only once the runtime is there. */
final class RuntimeState {
  private RuntimeState() {}

  static boolean installed() {
    return H2FixRuntime.isInstalled();
  }
}
