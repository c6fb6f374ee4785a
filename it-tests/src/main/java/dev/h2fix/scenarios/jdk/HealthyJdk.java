package dev.h2fix.scenarios.jdk;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A healthy server: GETs and POSTs over TLS, first one after the other, then all at once on the one
 * connection. With or without h2fix, every request must succeed over HTTP/2 with the same bytes.
 *
 * <p>Args: --tls=port --keystore --password --requests=n --tag=run-name
 */
public final class HealthyJdk {
  public static void main(String[] argv) {
    ScenarioMain.run(argv, HealthyJdk::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    int n = args.getInt("requests", 10);
    String tag = args.get("tag");
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      HttpClient client = JdkClients.tls(args, executor);
      URI url = JdkClients.url(args, "/healthy");
      for (int i = 0; i < n; i++) {
        check(client.sendAsync(request(url, tag + "-seq-" + i, i), HttpResponse.BodyHandlers.ofByteArray()), i, report);
      }
      List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(client.sendAsync(request(url, tag + "-par-" + i, i), HttpResponse.BodyHandlers.ofByteArray()));
      }
      for (int i = 0; i < n; i++) {
        check(all.get(i), i, report);
      }
    } finally {
      executor.shutdownNow();
    }
    report.agentState("jdk");
    report.print();
  }

  private static HttpRequest request(URI url, String id, int i) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(JdkClients.REQUEST_TIMEOUT)
        .header(BenchProtocol.ID, id).header(BenchProtocol.SIZE, "1000");
    return i % 2 == 1 ? b.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100])).build() : b.GET().build();
  }

  private static void check(CompletableFuture<HttpResponse<byte[]>> f, int i, Report report) {
    try {
      HttpResponse<byte[]> response = f.get(30, TimeUnit.SECONDS);
      boolean ok = response.statusCode() == 200 && response.version() == HttpClient.Version.HTTP_2
          && response.body().length == 1000;
      report.add(ok ? "ok" : "unexpected");
      if (i % 2 == 1 && !"100".equals(response.headers().firstValue(BenchProtocol.RECEIVED).orElse(""))) {
        report.add("unexpected.postBody");
      }
    } catch (Exception e) {
      report.failure(e);
    }
  }
}
