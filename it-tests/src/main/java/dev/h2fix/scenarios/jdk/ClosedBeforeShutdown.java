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
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The peer closes an idle pooled connection (bench {@code FIN_ALL} or {@code RST_ALL}); the client's
 * socket reads the close on the selector thread and hands the reader's work to the executor, which
 * is busy ({@link HoldingExecutor} holds that task): the connection is not shut down yet, and the
 * pool still sees it alive. A POST is sent meanwhile, in one of two ways, in turn:
 *
 * <ul>
 *   <li>{@code checkout}: sent once the close has been read, so the pool is asked after it;
 *   <li>{@code register}: it took the connection from the pool before the close (its body's
 *       {@code contentLength()}, asked between checkout and stream registration, waits) and
 *       registers its stream after the close has been read.
 * </ul>
 *
 * The held task is released when the POST's HEADERS have gone out (its body is subscribed to) or it
 * completed, whichever comes first.
 *
 * <p>Stock (17 and 25): the dead connection is handed out and the stream registered on it; its
 * HEADERS go into the closed socket, and once the reader runs the POST fails with the connection's
 * error ({@code post.failed.*}), never delivered. h2fix: the pool does not hand out a connection
 * whose socket has read the close, and no stream is registered on one; the POST goes to a fresh
 * connection ({@code post.ok}), delivered once.
 *
 * <p>Args: --tls --keystore --password --control --fault=FIN_ALL|RST_ALL --rounds=n --tag=name
 */
public final class ClosedBeforeShutdown {
  private static final long WAIT_SECONDS = 30;

  public static void main(String[] argv) {
    ScenarioMain.run(argv, ClosedBeforeShutdown::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    HoldingExecutor executor = new HoldingExecutor(Executors.newFixedThreadPool(4));
    HttpClient client = JdkClients.tls(args, executor);
    URI url = JdkClients.url(args, "/closed-before-shutdown");
    String tag = args.get("tag");
    try (BenchControlClient control = new BenchControlClient(args.getInt("control"))) {
      for (int r = 0; r < args.getInt("rounds"); r++) {
        String how = r % 2 == 0 ? "checkout" : "register";
        round(client, executor, url, control, args.get("fault"), tag + "-" + r, how, report);
      }
    } finally {
      executor.shutdownNow();
    }
    report.agentState("jdk");
    report.print();
  }

  private static void round(HttpClient client, HoldingExecutor executor, URI url, BenchControlClient control,
      String fault, String id, String how, Report report) throws Exception {
    // A live pooled connection, idle.
    HttpResponse<byte[]> warm = client.send(request(url, id + "-warm").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    report.add(warm.statusCode() == 200 ? "warm.ok" : "warm.unexpected");
    // The connection's reader done with the response, so that the close is handed to the executor.
    if (!executor.awaitIdle(WAIT_SECONDS, TimeUnit.SECONDS)) {
      report.add(how + ".clientNeverIdle");
    }

    boolean register = how.equals("register");
    GatedBody body = register ? new GatedBody() : GatedBody.open();
    CompletableFuture<HttpResponse<byte[]>> post = null;
    if (register) {
      post = sendPost(client, url, id, body);
      if (!body.entered.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        report.add(how + ".neverGated");
      }
    }
    CountDownLatch held = executor.arm();
    control.command(fault);
    if (!held.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      report.add(how + ".closeNeverRead");
    }
    if (register) {
      body.open.countDown();
    } else {
      post = sendPost(client, url, id, body);
    }
    // The reader runs once the POST's HEADERS went out somewhere, or the POST is done.
    CompletableFuture<HttpResponse<byte[]>> outcome = post;
    try {
      CompletableFuture.anyOf(outcome.handle((response, failure) -> null),
          CompletableFuture.runAsync(() -> awaitQuietly(body.subscribed))).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      report.add(how + ".neverSentNorDone");
    }
    executor.release();
    try {
      HttpResponse<byte[]> response = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
      report.add(how + (response.statusCode() == 200 ? ".ok" : ".unexpected"));
      report.add(response.statusCode() == 200 ? "post.ok" : "post.unexpected");
    } catch (TimeoutException e) {
      report.add("post.hung");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      report.add(how + ".failed");
      report.add("post.failed");
      report.add(cause instanceof HttpTimeoutException ? "post.timedOut" : "post.failed." + cause.getClass().getName());
      System.out.println("H2FIX-FAILED " + id + "-post " + cause.getClass().getName() + " replayable 0");
    }
  }

  private static CompletableFuture<HttpResponse<byte[]>> sendPost(HttpClient client, URI url, String id, GatedBody body) {
    return client.sendAsync(request(url, id + "-post").POST(body).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static HttpRequest.Builder request(URI url, String id) {
    return HttpRequest.newBuilder(url).timeout(JdkClients.REQUEST_TIMEOUT)
        .header(BenchProtocol.ID, id).header(BenchProtocol.ACTION, "ok");
  }
}
