package dev.h2fix.scenarios.okhttp;

import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;

import dev.h2fix.bench.BenchProtocol;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A healthy server: GETs and POSTs over h2c and TLS, sequential. With or without h2fix, every
 * request must succeed over HTTP/2 with the same bytes.
 *
 * <p>Args: --h2c=port --tls=port --keystore=path --password=pw --requests=n --tag=run-name
 */
public final class HealthyOkHttp {
  public static void main(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    int requests = args.getInt("requests", 10);
    String tag = args.get("tag");
    run(OkHttpClients.h2c().build(), "http://127.0.0.1:" + args.get("h2c"), "h2c", tag, requests, report);
    run(OkHttpClients.tls(args).build(), "https://127.0.0.1:" + args.get("tls"), "tls", tag, requests, report);
    report.agentState("okhttp");
    report.print();
  }

  private static void run(OkHttpClient client, String base, String transport, String tag, int n, Report report) {
    for (int i = 0; i < n; i++) {
      boolean post = i % 2 == 1;
      Request.Builder request =
          new Request.Builder()
              .url(base + "/healthy")
              .header(BenchProtocol.ID, tag + "-" + transport + "-" + i)
              .header(BenchProtocol.SIZE, "1000");
      if (post) {
        request.post(RequestBody.create(new byte[100], MediaType.get("application/octet-stream")));
      }
      try (Response response = client.newCall(request.build()).execute()) {
        byte[] body = response.body().bytes();
        Protocol p = response.protocol();
        boolean h2 = p == Protocol.HTTP_2 || p == Protocol.H2_PRIOR_KNOWLEDGE;
        if (response.code() == 200 && h2 && body.length == 1000) {
          report.add("ok");
          report.add("ok." + transport);
        } else {
          report.add("unexpected");
        }
        if (post && !"100".equals(response.header(BenchProtocol.RECEIVED))) {
          report.add("unexpected.postBody");
        }
      } catch (Exception e) {
        report.failure(e);
      }
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
