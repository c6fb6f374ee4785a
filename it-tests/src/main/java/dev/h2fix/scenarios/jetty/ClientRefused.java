package dev.h2fix.scenarios.jetty;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpVersion;

/**
 * The server refuses a stream (RST_STREAM REFUSED_STREAM) on a healthy connection, once per request
 * (a replay is accepted), Jetty's HttpClient over HTTP/2. GETs, replayable POSTs (bytes) and one-shot
 * POSTs (InputStream) in turn, one at a time. Stock Jetty hands every refusal to the application
 * ({@code IOException: refused_stream_error}). With h2fix, replayable requests are replayed once, on
 * a new connection; one-shot bodies fail as before.
 *
 * <p>Reports {@code ok.<kind>}, {@code failed.<kind>} (of which {@code refused.<kind>} with Jetty's
 * refused_stream_error), {@code replays.onOtherConnection} (the replay's
 * server-side peer port differs from the pool connection's and from every other replay's).
 *
 * <p>Args: --h2c|--tls=port --transport --kind=h2|dynamic --keystore --password --requests=n --tag
 */
public final class ClientRefused {
  public static void main(String[] argv) {
    ScenarioMain.run(argv, ClientRefused::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    HttpClient client = Clients.newClient(args);
    String url = Clients.base(args) + "/refused";
    String tag = args.get("tag");
    Set<String> ports = new HashSet<>();
    try {
      // The pool's connection: every refusal happens on it.
      ContentResponse warm = client.newRequest(url).version(HttpVersion.HTTP_2).timeout(10, TimeUnit.SECONDS)
          .headers(h -> h.put(BenchProtocol.ID, tag + "-warm")).send();
      ports.add(warm.getHeaders().get(BenchProtocol.PEER_PORT));
      for (int i = 0; i < args.getInt("requests"); i++) {
        String kind = i % 3 == 0 ? "get" : i % 3 == 1 ? "post" : "oneShot";
        String id = tag + "-" + i;
        Request request = client.newRequest(url).version(HttpVersion.HTTP_2).timeout(10, TimeUnit.SECONDS)
            .headers(h -> h.put(BenchProtocol.ID, id).put(BenchProtocol.ACTION, "refuse"));
        if (kind.equals("post")) {
          request.method("POST").body(new BytesRequestContent(new byte[64]));
        } else if (kind.equals("oneShot")) {
          request.method("POST").body(new InputStreamRequestContent(new ByteArrayInputStream(new byte[64])));
        }
        try {
          ContentResponse response = request.send();
          report.add(response.getStatus() == 200 ? "ok." + kind : "unexpected");
          if (ports.add(response.getHeaders().get(BenchProtocol.PEER_PORT))) {
            report.add("replays.onOtherConnection");
          }
        } catch (ExecutionException e) {
          // Usually IOException("refused_stream_error"); a body still being uploaded when the reset
          // comes can fail first with EofException("reset") on 12.1.
          report.add("failed." + kind);
          if (String.valueOf(e.getCause().getMessage()).contains("refused_stream")) {
            report.add("refused." + kind);
          }
          report.failure(e);
        }
      }
    } finally {
      client.stop();
    }
    report.agentState("jetty");
    report.print();
  }
}
