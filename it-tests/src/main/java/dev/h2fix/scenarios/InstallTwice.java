package dev.h2fix.scenarios;

import dev.h2fix.scenarios.okhttp.HealthyOkHttp;

import dev.h2fix.H2Fix;

/**
 * No -javaagent flag: {@code H2Fix.install()} patches the running JVM, twice in a row (the second
 * call must do nothing), then a healthy OkHttp exchange runs on the patched JVM.
 *
 * <p>Args: those of {@link HealthyOkHttp}.
 */
public final class InstallTwice {
  public static void main(String[] argv) throws Exception {
    Report report = new Report();
    report.add("installedBefore", H2Fix.isInstalled() ? 1 : 0);
    H2Fix.install();
    report.add("installedAfterFirst", H2Fix.isInstalled() ? 1 : 0);
    H2Fix.install();
    report.add("installedAfterSecond", H2Fix.isInstalled() ? 1 : 0);
    report.add("runtimeOnBootstrap", dev.h2fix.runtime.Stats.class.getClassLoader() == null ? 1 : 0);
    report.print();
    HealthyOkHttp.main(argv);
  }
}
