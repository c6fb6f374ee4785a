package dev.h2fix.chaos.child;

import dev.h2fix.chaos.Schedule;

/**
 * The start-up benchmark's small client program: builds one client, sends one GET to an already
 * running server, prints {@code FIRST ok|failed} as soon as the response is in, and exits. The
 * parent times JVM start to that line.
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] argv) {
    boolean ok = false;
    try (Driver driver = Drivers.start(new ChildArgs(argv))) {
      Outcome outcome = driver.send(new ChildRequest("startup-" + ProcessHandle.current().pid(), Schedule.Body.GET,
          null, 0, 16)).get();
      ok = outcome.ok();
      if (!ok) {
        outcome.failure().printStackTrace();
      }
      System.out.println("FIRST " + (ok ? "ok" : "failed"));
      System.out.flush();
    } catch (Throwable t) {
      t.printStackTrace();
    }
    System.exit(ok ? 0 : 1);
  }
}
