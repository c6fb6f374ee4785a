package dev.h2fix.scenarios.jdk;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.FaultRounds;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Concurrent requests racing connection deaths, JDK HttpClient over TLS. Each round sends a batch
 * of GETs and POSTs (sendAsync), and once a quarter of them completed the bench kills every
 * connection (FIN, RST) or sends GOAWAY (last-stream-id 0); a second wave is sent right behind the
 * fault, to race the dying connection. The round ends when every request has an outcome (each has a
 * 20 s timeout: a request stuck on a dead connection counts as {@code timedOut}). Every failure is
 * printed as {@code H2FIX-FAILED <id> <exception>}, for the test to check against the delivery log.
 *
 * <p>Args: --tls=port --keystore --password --control=port --fault=FIN_ALL|RST_ALL|GOAWAY_ALL
 * --rounds=n --perRound=n --tag=name
 */
public final class RaceFaults {
  public static void main(String[] argv) {
    ScenarioMain.run(argv, RaceFaults::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    ExecutorService executor = Executors.newFixedThreadPool(8);
    HttpClient client = JdkClients.tls(args, executor);
    URI url = JdkClients.url(args, "/race");
    try {
      FaultRounds.run(args, report, (id, i, done) -> send(client, url, id, i, report, done));
    } finally {
      executor.shutdownNow();
    }
    report.agentState("jdk");
    report.print();
  }

  /** Even requests are GETs, odd ones POSTs with a 256-byte (replayable) body. */
  private static void send(
      HttpClient client, URI url, String id, int i, Report report, Runnable done) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(JdkClients.REQUEST_TIMEOUT)
        .header(BenchProtocol.ID, id).header(BenchProtocol.ACTION, "delay=20");
    HttpRequest request = i % 2 == 0 ? b.GET().build() : b.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[256])).build();
    client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
      if (failure == null) {
        report.add(response.statusCode() == 200 ? "ok" : "unexpected");
      } else {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        report.add("failed");
        report.add("failed." + cause.getClass().getName());
        if (cause instanceof java.net.http.HttpConnectTimeoutException) {
          report.add("connectTimedOut"); // a new connection's connect or handshake, bounded by connectTimeout
        } else if (cause instanceof HttpTimeoutException) {
          report.add("timedOut"); // the request's own timeout: what a request stuck on a dead connection hits
        }
        System.out.println("H2FIX-FAILED " + id + " " + cause.getClass().getName() + " replayable 0");
        if (System.getProperty("h2fix.scenario.debug") != null) {
          System.out.println("H2FIX-DEBUG " + id + " " + cause);
        }
      }
      done.run();
    });
  }
}
