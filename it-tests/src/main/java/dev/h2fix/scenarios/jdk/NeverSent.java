package dev.h2fix.scenarios.jdk;

import dev.h2fix.bench.BenchControlClient;
import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.runtime.Invalidations;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request that took a live connection from the pool registers its stream after the connection
 * died, deterministically: its body's {@code contentLength()} (asked for between pool checkout and
 * stream registration) waits while the bench kills the connection (FIN or RST), until a probe
 * request on the same connection has failed, i.e. the client has shut the connection down. Then
 * the gate opens. The gated request is a POST: no method-based retry applies.
 *
 * <p>Stock 17 registers the stream on the closed connection and never fails it: the request waits
 * for its timeout ({@code post.timedOut}). Stock 25 fails it with the connection's error
 * ({@code post.failed.java.io.EOFException} or a reset), not retried. h2fix: sent again on a fresh
 * connection ({@code post.ok}), delivered once.
 *
 * <p>Also counts whether an h2fix {@code InvalidationListener} had been told of the dead connection
 * when the probe's failure callback ran ({@code probe.listenerFirst}).
 *
 * <p>Args: --tls --keystore --password --control --fault=FIN_ALL|RST_ALL --rounds=n --tag=name
 */
public final class NeverSent {
  private static final Duration POST_TIMEOUT = Duration.ofSeconds(15);

  public static void main(String[] argv) {
    ScenarioMain.run(argv, NeverSent::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    AtomicInteger invalidated = new AtomicInteger();
    AutoCloseable listener = Invalidations.addListener(session -> invalidated.incrementAndGet());
    ExecutorService executor = Executors.newFixedThreadPool(4);
    HttpClient client = JdkClients.tls(args, executor);
    URI url = JdkClients.url(args, "/never-sent");
    String tag = args.get("tag");
    try (BenchControlClient control = new BenchControlClient(args.getInt("control"))) {
      for (int r = 0; r < args.getInt("rounds"); r++) {
        round(client, url, control, args.get("fault"), tag + "-" + r, report, invalidated);
      }
    } finally {
      listener.close();
      executor.shutdownNow();
    }
    report.agentState("jdk");
    report.print();
  }

  private static void round(
      HttpClient client, URI url, BenchControlClient control, String fault, String id, Report report,
      AtomicInteger invalidated) throws Exception {
    // A live pooled connection, and a probe stream in flight on it.
    HttpResponse<byte[]> warm = client.send(request(url, id + "-warm", "ok").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    report.add(warm.statusCode() == 200 ? "warm.ok" : "warm.unexpected");
    int before = invalidated.get();
    AtomicInteger seenByProbe = new AtomicInteger(-1);
    CompletableFuture<HttpResponse<byte[]>> probe =
        client.sendAsync(request(url, id + "-probe", "hang").GET().build(), HttpResponse.BodyHandlers.ofByteArray())
            .whenComplete((response, failure) -> seenByProbe.set(invalidated.get()));
    control.awaitDelivered(id + "-probe", 5_000);

    GatedBody body = new GatedBody();
    CompletableFuture<HttpResponse<byte[]>> post = client.sendAsync(
        request(url, id + "-post", "ok").timeout(POST_TIMEOUT).POST(body).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (!body.entered.await(30, TimeUnit.SECONDS)) {
      report.add("post.neverGated");
    }
    control.command(fault);
    try {
      probe.get(30, TimeUnit.SECONDS);
      report.add("probe.unexpectedResponse");
    } catch (ExecutionException e) {
      report.add("probe.failed");
    }
    if (seenByProbe.get() > before) {
      report.add("probe.listenerFirst");
    }
    body.open.countDown();
    try {
      HttpResponse<byte[]> response = post.get(30, TimeUnit.SECONDS);
      report.add(response.statusCode() == 200 ? "post.ok" : "post.unexpected");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      report.add(cause instanceof HttpTimeoutException ? "post.timedOut" : "post.failed." + cause.getClass().getName());
      System.out.println("H2FIX-FAILED " + id + "-post " + cause.getClass().getName() + " replayable 0");
    }
  }

  private static HttpRequest.Builder request(URI url, String id, String action) {
    return HttpRequest.newBuilder(url).timeout(JdkClients.REQUEST_TIMEOUT)
        .header(BenchProtocol.ID, id).header(BenchProtocol.ACTION, action);
  }
}
