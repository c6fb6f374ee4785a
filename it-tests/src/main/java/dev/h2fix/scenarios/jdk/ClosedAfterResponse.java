package dev.h2fix.scenarios.jdk;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The peer closes a pooled connection right after a response, and the next request is sent at
 * once: from the first response's completion (on the client's executor). The bench answers the
 * first request in full, then its proxy forwards the response and closes the connection (action
 * {@code fin-after-response}: FIN, from then on it discards whatever the client sends; or
 * {@code rst-after-response}: RST).
 *
 * <p>The client's socket is read again only after its reader has processed the response and asked
 * for more, and that races the next request: usually the next request takes the connection, and
 * registers its stream, before the close has even been read. Nothing in the client says the
 * connection is dead then, stock or h2fix ({@code next.failed.*}, never delivered); h2fix only
 * catches the rounds where the close was read first ({@code ClosedBeforeShutdown} holds that
 * state open). GETs and POSTs in turn. A first request can also meet the previous round's
 * connection still pooled ({@code first.failed}).
 *
 * <p>Args: --tls --keystore --password --close=fin-after-response|rst-after-response --rounds=n --tag=name
 */
public final class ClosedAfterResponse {
  public static void main(String[] argv) {
    ScenarioMain.run(argv, ClosedAfterResponse::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    ExecutorService executor = Executors.newFixedThreadPool(4);
    HttpClient client = JdkClients.tls(args, executor);
    URI url = JdkClients.url(args, "/closed-after-response");
    String tag = args.get("tag");
    String close = args.get("close", "fin-after-response");
    try {
      for (int r = 0; r < args.getInt("rounds"); r++) {
        round(client, url, tag + "-" + r, close, r % 2 == 1, report);
      }
    } finally {
      executor.shutdownNow();
    }
    report.agentState("jdk");
    report.print();
  }

  private static void round(HttpClient client, URI url, String id, String close, boolean post, Report report)
      throws Exception {
    CompletableFuture<HttpResponse<byte[]>> first =
        client.sendAsync(request(url, id + "-first", close, false), HttpResponse.BodyHandlers.ofByteArray());
    // The next request is sent from the first one's completion, without a hop of the scenario's own.
    CompletableFuture<HttpResponse<byte[]>> next = first.thenCompose(
        response -> client.sendAsync(request(url, id + "-next", "ok", post), HttpResponse.BodyHandlers.ofByteArray()));
    try {
      HttpResponse<byte[]> response = first.get(30, TimeUnit.SECONDS);
      report.add(response.statusCode() == 200 ? "first.ok" : "first.unexpected");
    } catch (ExecutionException | TimeoutException e) {
      report.add("first.failed");
      return;
    }
    try {
      HttpResponse<byte[]> response = next.get(30, TimeUnit.SECONDS);
      report.add(response.statusCode() == 200 ? "next.ok" : "next.unexpected");
    } catch (TimeoutException e) {
      report.add("next.hung");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      report.add("next.failed");
      report.add(cause instanceof HttpTimeoutException ? "next.timedOut" : "next.failed." + cause.getClass().getName());
      System.out.println("H2FIX-FAILED " + id + "-next " + cause.getClass().getName() + " replayable 0");
    }
  }

  private static HttpRequest request(URI url, String id, String action, boolean post) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(JdkClients.REQUEST_TIMEOUT)
        .header(BenchProtocol.ID, id).header(BenchProtocol.ACTION, action);
    return post ? b.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[256])).build() : b.GET().build();
  }
}
