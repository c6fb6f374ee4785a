package dev.h2fix.scenarios.jdk;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server refuses a stream (RST_STREAM REFUSED_STREAM) on a healthy connection, once per
 * request; a replay would be accepted. GETs and POSTs in turn, one at a time. Stock 17 fails each
 * with an {@code IOException}; stock 25 retries them itself (its "unprocessed by peer" retry). With
 * h2fix on 17, each is sent once more, on a fresh stream.
 *
 * <p>Args: --tls=port --keystore --password --requests=n --tag
 */
public final class RefusedStreams {
  public static void main(String[] argv) {
    ScenarioMain.run(argv, RefusedStreams::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    ExecutorService executor = Executors.newFixedThreadPool(4);
    HttpClient client = JdkClients.tls(args, executor);
    URI url = JdkClients.url(args, "/refused");
    String tag = args.get("tag");
    try {
      for (int i = 0; i < args.getInt("requests"); i++) {
        String kind = i % 2 == 0 ? "get" : "post";
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(JdkClients.REQUEST_TIMEOUT)
            .header(BenchProtocol.ID, tag + "-" + i).header(BenchProtocol.ACTION, BenchProtocol.Kind.REFUSE.headerValue());
        HttpRequest request = kind.equals("post") ? b.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64])).build() : b.GET().build();
        try {
          HttpResponse<byte[]> response =
              client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).get(30, TimeUnit.SECONDS);
          report.add(response.statusCode() == 200 ? "ok." + kind : "unexpected");
        } catch (ExecutionException e) {
          report.add("refused." + kind);
          report.add("refused." + e.getCause().getClass().getName());
        } catch (TimeoutException e) {
          report.add("timeout");
        }
      }
    } finally {
      executor.shutdownNow();
    }
    report.agentState("jdk");
    report.print();
  }
}
