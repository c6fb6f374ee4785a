package dev.h2fix.chaos.child;

import dev.h2fix.bench.BenchControlClient;
import dev.h2fix.chaos.Schedule;
import dev.h2fix.scenarios.ScenarioMain;
import java.util.concurrent.TimeUnit;

/**
 * The recovery benchmark's client: {@code runs} times, a request on a warm connection, then the
 * bench resets every connection (RST) and the next request is sent at once ({@code REC next});
 * then the same with a pause of {@link #SETTLE_MS} before the next request, by which time the
 * client has seen the reset, so the request opens a fresh connection ({@code REC fresh}). Prints
 * {@code REC next|fresh ok|failed micros} per request. The pause is part of what is measured, not
 * a synchronisation.
 */
public final class RecoveryProbe {
  static final long SETTLE_MS = 300;

  private RecoveryProbe() {}

  public static void main(String[] argv) {
    ScenarioMain.run(argv, a -> run(new ChildArgs(a)));
  }

  private static void run(ChildArgs args) throws Exception {
    int runs = args.getInt("runs");
    long timeoutMs = args.getLong("timeoutMs");
    try (Driver driver = Drivers.start(args); BenchControlClient control = new BenchControlClient(args.getInt("control"))) {
      int n = 0;
      for (int i = 0; i < runs; i++) {
        for (String kind : new String[] {"next", "fresh"}) {
          for (int w = 0; w < 3 && !request(driver, "r" + n++, timeoutMs).ok(); w++) {
            // warm connection: at most three tries
          }
          control.rstAll();
          if (kind.equals("fresh")) {
            TimeUnit.MILLISECONDS.sleep(SETTLE_MS);
          }
          long t0 = System.nanoTime();
          Outcome outcome = request(driver, "r" + n++, timeoutMs);
          long micros = (System.nanoTime() - t0) / 1000;
          System.out.println("REC " + kind + " " + (outcome.ok() ? "ok" : "failed") + " " + micros);
        }
      }
    }
  }

  private static Outcome request(Driver driver, String id, long timeoutMs) throws Exception {
    return driver.send(new ChildRequest(id + "-" + ProcessHandle.current().pid(), Schedule.Body.GET, null, 0, 16))
        .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
  }
}
