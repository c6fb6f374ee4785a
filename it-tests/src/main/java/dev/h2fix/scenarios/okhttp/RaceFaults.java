package dev.h2fix.scenarios.okhttp;

import dev.h2fix.bench.BenchControlClient;
import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    String fault = args.get("fault");
    int rounds = args.getInt("rounds");
    int perRound = args.getInt("perRound");
    String tag = args.get("tag");
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try (BenchControlClient control = new BenchControlClient(args.getInt("control"))) {
      for (int r = 0; r < rounds; r++) {
        int wave = perRound / 2;
        CountDownLatch quarter = new CountDownLatch(Math.max(1, perRound / 4));
        CountDownLatch all = new CountDownLatch(perRound + wave);
        for (int i = 0; i < perRound; i++) {
          send(client, callers, request(url, tag + "-" + r + "-" + i, i), new Outcome(report, quarter, all), i);
        }
        if (!quarter.await(60, TimeUnit.SECONDS)) {
          report.add("round.stuckBeforeFault");
        }
        control.command(fault.equals("GOAWAY_ALL") ? "GOAWAY_ALL 0" : fault);
        // A second wave right behind the fault: calls that pick the dying connection from the pool.
        for (int i = perRound; i < perRound + wave; i++) {
          send(client, callers, request(url, tag + "-" + r + "-" + i, i), new Outcome(report, quarter, all), i);
        }
        if (!all.await(90, TimeUnit.SECONDS)) {
          report.add("hung", all.getCount());
        }
      }
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
    private final CountDownLatch quarter;
    private final CountDownLatch all;

    Outcome(Report report, CountDownLatch quarter, CountDownLatch all) {
      this.report = report;
      this.quarter = quarter;
      this.all = all;
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
      done();
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
      done();
    }

    private void done() {
      quarter.countDown();
      all.countDown();
    }
  }
}
