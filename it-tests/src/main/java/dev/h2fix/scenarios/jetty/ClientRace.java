package dev.h2fix.scenarios.jetty;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.FaultRounds;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpVersion;

/**
 * Concurrent requests racing connection deaths, Jetty's HttpClient over HTTP/2. Each round sends a
 * batch of requests; once a quarter of them completed, the bench kills every connection (FIN, RST)
 * or sends GOAWAY (last-stream-id = highest seen), and a second wave is sent right behind the fault
 * to race the dying connection in the pool. GETs, replayable POSTs (bytes) and one-shot POSTs
 * (InputStream). A failed request whose headers were never committed (its stream was never created)
 * is counted as {@code failed.neverCommitted}; every failure is printed as
 * {@code H2FIX-FAILED <id> <exception>[:never-committed][:replay] <one-shot|replayable> 0} so that
 * the test can check the server's delivery log ({@code :replay}: the failure is that of h2fix's
 * replay of the request).
 *
 * <p>Args: --h2c|--tls=port --transport --kind=h2|dynamic --keystore --password --control=port
 * --fault=FIN_ALL|RST_ALL|GOAWAY_ALL --rounds=n --perRound=n --tag=name
 */
public final class ClientRace {
  public static void main(String[] argv) {
    ScenarioMain.run(argv, ClientRace::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    HttpClient client = Clients.newClient(args);
    client.setMaxRequestsQueuedPerDestination(10_000);
    String url = Clients.base(args) + "/race";
    try {
      FaultRounds.run(args, report, (id, i, done) -> send(client, url, id, i, report, done));
    } finally {
      client.stop();
    }
    report.agentState("jetty");
    report.print();
  }

  private static void send(
      HttpClient client, String url, String id, int i, Report report, Runnable done) {
    AtomicBoolean committed = new AtomicBoolean();
    boolean oneShot = i % 3 == 2;
    Request request = client.newRequest(url).version(HttpVersion.HTTP_2).timeout(30, TimeUnit.SECONDS)
        .headers(h -> h.put(BenchProtocol.ID, id).put(BenchProtocol.ACTION, "delay=20"))
        .onRequestCommit(r -> committed.set(true));
    if (i % 3 == 1) {
      request.method("POST").body(new BytesRequestContent(new byte[256]));
    } else if (oneShot) {
      request.method("POST").body(new InputStreamRequestContent(new ByteArrayInputStream(new byte[256])));
    }
    request.send(result -> {
      try {
        outcome(result, id, oneShot, committed.get(), result.getRequest() != request, report);
      } finally {
        done.run();
      }
    });
  }

  private static void outcome(
      Result result, String id, boolean oneShot, boolean committed, boolean replayed, Report report) {
    if (replayed) {
      report.add("replayed"); // the complete listener got the events of h2fix's copy of the request
    }
    if (!result.isFailed()) {
      report.add(result.getResponse().getStatus() == 200 ? "ok" : "unexpected");
      return;
    }
    Throwable failure = result.getFailure();
    if (replayed) {
      report.add("replayed.failed");
    }
    if (System.getProperty("debug.stack") != null && failure.getClass().getSimpleName().startsWith("Retryable") && !oneShot) {
      failure.printStackTrace();
    }
    report.add("failed");
    String kind = failure.getClass().getName();
    report.add("failed." + kind);
    if (!committed) {
      report.add("failed.neverCommitted");
      if (System.getProperty("debug.stack") != null) {
        failure.printStackTrace();
      }
    }
    System.out.println("H2FIX-FAILED " + id + " " + kind + (committed ? "" : ":never-committed")
        + (replayed ? ":replay" : "") + " "
        + (oneShot ? "one-shot" : "replayable") + " 0");
  }
}
