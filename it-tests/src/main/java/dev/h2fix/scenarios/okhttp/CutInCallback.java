package dev.h2fix.scenarios.okhttp;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.runtime.Invalidations;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sequential cuts, OkHttp. Each iteration: a fresh pool; call A, which the bench delivers and then
 * kills the connection under (FIN or RST through the proxy, or silence until OkHttp's ping times
 * out); in A's failure callback, look at what
 * the pool and the listeners know, then send call B from inside the callback.
 *
 * <p>Stock: when A's callback runs, the dead connection still counts in the pool, the pool's
 * ConnectionListener (5.x) has heard nothing, and h2fix's listener (absent) nothing. With h2fix:
 * the connection is gone from the pool, noNewExchanges fired, the invalidation listener ran.
 *
 * <p>Args: --h2c|--tls=port --transport=h2c|tls --keystore --password --fault=rst|fin|stall
 * [--pingMillis=n] --iterations=n --tag=name
 */
public final class CutInCallback {
  public static void main(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    AtomicInteger invalidations = new AtomicInteger();
    Invalidations.addListener(session -> invalidations.incrementAndGet());
    OkHttpClient base = OkHttpClients.forTransport(args).build();
    String url = OkHttpClients.url(args, "/cut");
    String fault = args.get("fault");
    int iterations = args.getInt("iterations");
    String tag = args.get("tag");
    int pingMillis = args.getInt("pingMillis", 0); // with --fault=stall: the ping timeout ends the connection
    for (int i = 0; i < iterations; i++) {
      PoolEvents events = PoolEvents.create();
      ConnectionPool pool = events == null ? new ConnectionPool() : events.pool;
      OkHttpClient client = base.newBuilder().dispatcher(new okhttp3.Dispatcher()).connectionPool(pool)
          .retryOnConnectionFailure(false).pingInterval(pingMillis, TimeUnit.MILLISECONDS).build();
      CompletableFuture<Void> done = new CompletableFuture<>();
      int invalidationsBefore = invalidations.get();
      Request a = new Request.Builder().url(url).header(BenchProtocol.ID, tag + "-" + i + "-a")
          .header(BenchProtocol.ACTION, fault).build();
      Request b = new Request.Builder().url(url).header(BenchProtocol.ID, tag + "-" + i + "-b").build();
      client.newCall(a).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          try {
            report.add("first.failed");
            if (System.getProperty("debug.stack") != null && invalidations.get() == invalidationsBefore) { e.printStackTrace(); }
            report.add(invalidations.get() > invalidationsBefore ? "cb.h2fixListenerRan" : "cb.h2fixListenerSilent");
            report.add(pool.connectionCount() > 0 ? "cb.deadConnectionInPool" : "cb.poolEmpty");
            if (events != null) {
              report.add(events.noNewExchanges.get() > 0 ? "cb.noNewExchangesFired" : "cb.noNewExchangesSilent");
            }
            try (Response response = client.newCall(b).execute()) {
              report.add(response.code() == 200 ? "second.ok" : "second.unexpected");
            } catch (IOException second) {
              report.failure(second);
              report.add("second.failed");
            }
          } finally {
            done.complete(null);
          }
        }

        @Override
        public void onResponse(Call call, Response response) {
          response.close();
          report.add("first.unexpectedSuccess");
          done.complete(null);
        }
      });
      done.get(60, TimeUnit.SECONDS);
      client.dispatcher().executorService().shutdown();
      pool.evictAll();
    }
    report.agentState("okhttp");
    report.print();
    System.exit(0); // OkHttp's task threads must not keep the JVM
  }
}
