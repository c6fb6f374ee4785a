package dev.h2fix.scenarios.jdk;

import dev.h2fix.runtime.Stats;

/**
 * A JVM that never touches java.net.http: reports whether h2fix changed anything about that module
 * (a read edge to its runtime is added only when a class of it is patched). The test also checks,
 * with {@code -Xlog:class+load}, that no class of the JDK client was loaded.
 */
public final class NeverUsesHttpClient {
  public static void main(String[] args) {
    Module http = ModuleLayer.boot().findModule("java.net.http").orElseThrow();
    System.out.println("H2FIX-COUNT started 1");
    System.out.println("H2FIX-COUNT javaNetHttp.readsRuntime " + (http.canRead(Stats.class.getModule()) ? 1 : 0));
  }
}
