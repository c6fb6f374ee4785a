package dev.h2fix.scenarios.jdk;

import dev.h2fix.bench.BenchControlClient;
import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * GOAWAY on a connection with two streams in flight: one the server is answering (below the
 * last-stream-id, answered after 1 s, so that the GOAWAY comes first even on a loaded machine) and one it refuses by sending GOAWAY with last-stream-id just
 * below it (action {@code goaway}: not delivered). GETs and POSTs in turn.
 *
 * <p>Stock 25 (graceful GOAWAY): both complete, the refused one retried by the client. Stock
 * 17.0.15 (JDK-8335181): both fail. h2fix on 17: the refused one is sent again on a fresh
 * connection and completes, once; the one below the last-stream-id completes on the GOAWAY'd
 * connection.
 *
 * <p>Args: --tls --keystore --password --control --rounds=n --tag=name
 */
public final class GoAwayRefused {
  public static void main(String[] argv) {
    ScenarioMain.run(argv, GoAwayRefused::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    ExecutorService executor = Executors.newFixedThreadPool(4);
    HttpClient client = JdkClients.tls(args, executor);
    URI url = JdkClients.url(args, "/goaway");
    String tag = args.get("tag");
    try (BenchControlClient control = new BenchControlClient(args.getInt("control"))) {
      for (int r = 0; r < args.getInt("rounds"); r++) {
        String id = tag + "-" + r;
        boolean post = r % 2 == 1;
        HttpResponse<byte[]> warm = client.send(request(url, id + "-warm", "ok", false), HttpResponse.BodyHandlers.ofByteArray());
        report.add(warm.statusCode() == 200 ? "warm.ok" : "warm.unexpected");
        CompletableFuture<HttpResponse<byte[]>> below =
            client.sendAsync(request(url, id + "-below", "delay=1000", post), HttpResponse.BodyHandlers.ofByteArray());
        control.awaitDelivered(id + "-below", 5_000);
        CompletableFuture<HttpResponse<byte[]>> refused =
            client.sendAsync(request(url, id + "-refused", "goaway", post), HttpResponse.BodyHandlers.ofByteArray());
        outcome(report, "below", id + "-below", below);
        outcome(report, "refused", id + "-refused", refused);
      }
    } finally {
      executor.shutdownNow();
    }
    report.agentState("jdk");
    report.print();
  }

  private static void outcome(Report report, String what, String id, CompletableFuture<HttpResponse<byte[]>> f)
      throws Exception {
    try {
      HttpResponse<byte[]> response = f.get(30, TimeUnit.SECONDS);
      report.add(what + (response.statusCode() == 200 ? ".ok" : ".unexpected"));
    } catch (ExecutionException e) {
      report.add(what + ".failed");
      report.add(what + ".failed." + e.getCause().getClass().getName());
      System.out.println("H2FIX-FAILED " + id + " " + e.getCause().getClass().getName() + " replayable 0");
    }
  }

  private static HttpRequest request(URI url, String id, String action, boolean post) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(JdkClients.REQUEST_TIMEOUT)
        .header(BenchProtocol.ID, id).header(BenchProtocol.ACTION, action);
    return post ? b.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[256])).build() : b.GET().build();
  }
}
