package dev.h2fix.scenarios.okhttp;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.internal.http2.StreamResetException;

/**
 * The server refuses a stream (RST_STREAM REFUSED_STREAM) on a healthy connection, once per
 * request; a replay would be accepted. GETs, replayable POSTs and one-shot POSTs in turn.
 * Stock OkHttp does not retry (its route planner keeps the still-usable connection and has no
 * other route), so every refusal reaches the application. With h2fix, replayable requests are
 * replayed once, on another connection; one-shot bodies fail as before.
 *
 * <p>Args: --h2c|--tls=port --transport --keystore --password --requests=n --retries=on|off --tag
 */
public final class RefusedStreams {
  private static final MediaType BYTES = MediaType.get("application/octet-stream");

  public static void main(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    OkHttpClient client = OkHttpClients.forTransport(args)
        .retryOnConnectionFailure(args.get("retries").equals("on"))
        .eventListener(new EventListener() {
          @Override
          public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
            report.add("connections");
          }
        })
        .build();
    String url = OkHttpClients.url(args, "/refused");
    String tag = args.get("tag");
    for (int i = 0; i < args.getInt("requests"); i++) {
      Request.Builder b = new Request.Builder().url(url).header(BenchProtocol.ID, tag + "-" + i)
          .header(BenchProtocol.ACTION, "refuse");
      String kind = i % 3 == 0 ? "get" : i % 3 == 1 ? "post" : "oneShot";
      if (kind.equals("post")) {
        b.post(RequestBody.create(new byte[64], BYTES));
      } else if (kind.equals("oneShot")) {
        b.post(new OneShotBody(64));
      }
      try (Response response = client.newCall(b.build()).execute()) {
        report.add(response.code() == 200 ? "ok." + kind : "unexpected");
      } catch (StreamResetException e) {
        report.add("refused." + kind);
      } catch (IOException e) {
        report.failure(e);
      }
    }
    client.connectionPool().evictAll();
    client.dispatcher().executorService().shutdown();
    report.agentState("okhttp");
    report.print();
    System.exit(0);
  }
}
