package dev.h2fix.scenarios;

/**
 * Application code on the class path tries what a library probing the JDK's internals does (Netty
 * looks for {@code jdk.internal.misc.Unsafe} this way): reports {@code internals.exported} if
 * {@code jdk.internal.misc} is exported to it, {@code internals.closed} if not.
 */
public final class InternalsProbe {
  public static void main(String[] args) {
    ScenarioMain.run(args, InternalsProbe::run);
  }

  private static void run(String[] args) throws Exception {
    Report report = new Report();
    Class<?> unsafe = Class.forName("jdk.internal.misc.Unsafe");
    try {
      unsafe.getMethod("getUnsafe").invoke(null);
      report.add("internals.exported");
    } catch (IllegalAccessException e) {
      report.add("internals.closed");
    }
    try {
      Class.forName("dev.h2fix.runtime.Stats", false, null);
      report.add("runtime.bootstrap");
    } catch (ClassNotFoundException e) {
      report.add("runtime.missing");
    }
    report.print();
  }
}
