package dev.h2fix.scenarios;

import dev.h2fix.bench.BenchControlClient;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The round loop of the race scenarios (OkHttp, Jetty HttpClient, JDK HttpClient): each round sends
 * {@code perRound} requests; once a quarter of them have an outcome, the bench applies the fault to
 * every connection (FIN_ALL, RST_ALL, or GOAWAY_ALL with last-stream-id = highest seen); a second
 * wave of {@code perRound / 2} is sent right behind it, to race the dying connections; the round
 * ends when every request has an outcome. Bounded: 60 s for the quarter ({@code
 * round.stuckBeforeFault}), 90 s for the round ({@code hung}, with the count still open).
 *
 * <p>Args read: --control=port --fault=FIN_ALL|RST_ALL|GOAWAY_ALL --rounds=n --perRound=n --tag=name.
 * Request ids are {@code <tag>-<round>-<index>}.
 */
public final class FaultRounds {
  /** Sends request {@code index} of a round as {@code id}; {@code done} runs once it has an outcome. */
  public interface Sender {
    void send(String id, int index, Runnable done) throws Exception;
  }

  private FaultRounds() {}

  public static void run(ScenarioArgs args, Report report, Sender sender) throws Exception {
    String fault = args.get("fault");
    int rounds = args.getInt("rounds");
    int perRound = args.getInt("perRound");
    String tag = args.get("tag");
    try (BenchControlClient control = new BenchControlClient(args.getInt("control"))) {
      for (int r = 0; r < rounds; r++) {
        int wave = perRound / 2;
        CountDownLatch quarter = new CountDownLatch(Math.max(1, perRound / 4));
        CountDownLatch all = new CountDownLatch(perRound + wave);
        Runnable done = () -> {
          quarter.countDown();
          all.countDown();
        };
        for (int i = 0; i < perRound; i++) {
          sender.send(tag + "-" + r + "-" + i, i, done);
        }
        if (!quarter.await(60, TimeUnit.SECONDS)) {
          report.add("round.stuckBeforeFault");
        }
        control.command(fault.equals("GOAWAY_ALL") ? "GOAWAY_ALL 0" : fault);
        for (int i = perRound; i < perRound + wave; i++) {
          sender.send(tag + "-" + r + "-" + i, i, done);
        }
        if (!all.await(90, TimeUnit.SECONDS)) {
          report.add("hung", all.getCount());
        }
      }
    }
  }
}
