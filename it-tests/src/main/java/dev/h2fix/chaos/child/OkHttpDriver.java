package dev.h2fix.chaos.child;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.runtime.RerouteBudget;
import dev.h2fix.scenarios.okhttp.OneShotBody;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;

/**
 * OkHttp 5 over h2c (prior knowledge), asynchronous calls, {@code retryOnConnectionFailure(false)}
 * (with it on, OkHttp retries requests it cannot know were unsent, which may deliver them twice).
 * Unsent: {@code ConnectionShutdownException} (the connection was shut before the stream was
 * created) or a stream reset with REFUSED_STREAM (refused, or above a GOAWAY's last-stream-id).
 */
final class OkHttpDriver implements Driver {
  private static final MediaType BYTES = MediaType.get("application/octet-stream");
  private final OkHttpClient client;
  private final String url;

  OkHttpDriver(int port, long timeoutMs, int concurrency) {
    client = new OkHttpClient.Builder()
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .retryOnConnectionFailure(false)
        .connectTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .callTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .build();
    client.dispatcher().setMaxRequests(Math.max(64, concurrency * 2));
    client.dispatcher().setMaxRequestsPerHost(Math.max(64, concurrency * 2));
    url = "http://127.0.0.1:" + port + "/chaos";
  }

  @Override
  public String statsClient() {
    return "okhttp";
  }

  @Override
  public CompletableFuture<Outcome> send(ChildRequest request) {
    Request.Builder builder = new Request.Builder().url(url)
        .header(BenchProtocol.ID, request.id())
        .header(BenchProtocol.SIZE, Integer.toString(request.responseSize()));
    if (request.action() != null) {
      builder.header(BenchProtocol.ACTION, request.action());
    }
    switch (request.body()) {
      case POST -> builder.post(RequestBody.create(new byte[request.bodySize()], BYTES));
      case ONE_SHOT -> builder.post(new OneShotBody(request.bodySize()));
      default -> builder.get();
    }
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    client.newCall(builder.build()).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          int length = response.body().bytes().length;
          outcome.complete(response.code() == 200 && length == request.responseSize()
              ? Outcome.success() : Outcome.failed(new IOException("status " + response.code()), false));
        } catch (IOException | RuntimeException e) {
          outcome.complete(Outcome.failed(e, false));
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        // RerouteBudget: how often h2fix sent this call again (bootstrap copy with the agent).
        boolean replayed = H2FixRuntime.isInstalled() && RerouteBudget.used(call) > 0;
        outcome.complete(Outcome.failed(e, unsent(e), replayed));
      }
    });
    return outcome;
  }

  private static boolean unsent(IOException e) {
    if (Failures.hasCause(e, "okhttp3.internal.http2.ConnectionShutdownException")) {
      return true;
    }
    return e instanceof StreamResetException reset && reset.errorCode == ErrorCode.REFUSED_STREAM;
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdownNow();
    client.connectionPool().evictAll();
  }
}
