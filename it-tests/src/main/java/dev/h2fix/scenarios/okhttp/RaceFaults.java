package dev.h2fix.scenarios.okhttp;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.FaultRounds;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.internal.http2.StreamResetException;

/**
 * Concurrent calls racing connection deaths, OkHttp. Each round sends a batch of requests, half
 * enqueued and half from a pool of threads calling execute(); once a quarter of them completed, the
 * bench kills every connection (FIN, RST) or sends GOAWAY (last-stream-id = highest seen), and the
 * round ends when every request has an outcome. A second wave of requests is sent right behind the
 * fault, to race the dying connection in the pool. Requests are GETs, replayable POSTs and one-shot
 * POSTs. Every failure is printed as {@code H2FIX-FAILED <id> <exception>} so that the test can
 * check, with the server's delivery log, which of them the server never saw.
 *
 * <p>Args: --h2c|--tls=port --transport --keystore --password --control=port --fault=FIN_ALL|RST_ALL|GOAWAY_ALL
 * --rounds=n --perRound=n --retries=on|off --tag=name
 */
public final class RaceFaults {
  private static final MediaType BYTES = MediaType.get("application/octet-stream");

  public static void main(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    OkHttpClient client = OkHttpClients.forTransport(args)
        .retryOnConnectionFailure(args.get("retries").equals("on"))
        .build();
    client.dispatcher().setMaxRequests(64);
    client.dispatcher().setMaxRequestsPerHost(64);
    String url = OkHttpClients.url(args, "/race");
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      FaultRounds.run(args, report,
          (id, i, done) -> send(client, callers, request(url, id, i), new Outcome(report, done), i));
    } finally {
      callers.shutdownNow();
      client.dispatcher().executorService().shutdownNow();
      client.connectionPool().evictAll();
    }
    report.agentState("okhttp");
    report.print();
    System.exit(0);
  }

  /** Even requests are enqueued, odd ones executed on one of the caller threads. */
  private static void send(OkHttpClient client, ExecutorService callers, Request request, Outcome outcome, int i) {
    if (i % 2 == 0) {
      client.newCall(request).enqueue(outcome);
      return;
    }
    callers.execute(() -> {
      Call call = client.newCall(request);
      try (Response response = call.execute()) {
        outcome.onResponse(call, response);
      } catch (IOException e) {
        outcome.onFailure(call, e);
      }
    });
  }

  /** GETs, replayable POSTs and one-shot POSTs, in turn. */
  private static Request request(String url, String id, int i) {
    Request.Builder b = new Request.Builder().url(url).header(BenchProtocol.ID, id)
        .header(BenchProtocol.ACTION, "delay=20");
    switch (i % 3) {
      case 1:
        return b.post(RequestBody.create(new byte[256], BYTES)).build();
      case 2:
        return b.post(new OneShotBody(256)).build();
      default:
        return b.build();
    }
  }

  private static final class Outcome implements Callback {
    private final Report report;
    private final Runnable done;

    Outcome(Report report, Runnable done) {
      this.report = report;
      this.done = done;
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        response.body().bytes();
        report.add(response.code() == 200 ? "ok" : "unexpected");
      } catch (IOException e) {
        onFailure(call, e);
        return;
      }
      done.run();
    }

    @Override
    public void onFailure(Call call, IOException e) {
      report.add("failed");
      String kind = e.getClass().getName();
      if (e instanceof StreamResetException) {
        kind += ":" + ((StreamResetException) e).errorCode;
      }
      report.add("failed." + kind);
      boolean oneShot = call.request().body() != null && call.request().body().isOneShot();
      String id = call.request().header(BenchProtocol.ID);
      // How often h2fix sent this call again before it failed for good (0 without the agent).
      int reroutes = dev.h2fix.runtime.H2FixRuntime.isInstalled() ? dev.h2fix.runtime.RerouteBudget.used(call) : 0;
      System.out.println("H2FIX-FAILED " + id + " " + kind + " " + (oneShot ? "one-shot" : "replayable") + " " + reroutes);
      done.run();
    }
  }
}
