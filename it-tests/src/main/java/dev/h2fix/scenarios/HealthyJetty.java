package dev.h2fix.scenarios;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.bench.SelfSignedCertificate;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A healthy server: Jetty's HttpClient over HTTP/2 (h2c and TLS), GETs and POSTs, sequential. With
 * or without h2fix, every request must succeed over HTTP/2 with the same bytes.
 *
 * <p>Args: --h2c=port --tls=port --keystore=path --password=pw --requests=n --tag=run-name
 */
public final class HealthyJetty {
  public static void main(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    int requests = args.getInt("requests", 10);
    String tag = args.get("tag");
    SelfSignedCertificate cert = SelfSignedCertificate.load(Path.of(args.get("keystore")), args.get("password"));
    HttpClient client = newClient(cert);
    try {
      run(client, "http://127.0.0.1:" + args.get("h2c"), "h2c", tag, requests, report);
      run(client, "https://127.0.0.1:" + args.get("tls"), "tls", tag, requests, report);
    } finally {
      client.stop();
    }
    report.agentState("jetty");
    report.print();
  }

  static HttpClient newClient(SelfSignedCertificate cert) throws Exception {
    ClientConnector connector = new ClientConnector();
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setSslContext(cert.clientSslContext());
    connector.setSslContextFactory(tls);
    HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
    client.setConnectTimeout(10_000);
    client.start();
    return client;
  }

  private static void run(HttpClient client, String base, String transport, String tag, int n, Report report) {
    for (int i = 0; i < n; i++) {
      boolean post = i % 2 == 1;
      String id = tag + "-" + transport + "-" + i;
      Request request =
          client
              .newRequest(base + "/healthy")
              .headers(h -> h.put(BenchProtocol.ID, id))
              .headers(h -> h.put(BenchProtocol.SIZE, "1000"))
              .timeout(30, TimeUnit.SECONDS);
      if (post) {
        request.method("POST").body(new BytesRequestContent(new byte[100]));
      }
      try {
        ContentResponse response = request.send();
        if (response.getStatus() == 200
            && response.getVersion() == HttpVersion.HTTP_2
            && response.getContent().length == 1000) {
          report.add("ok");
          report.add("ok." + transport);
        } else {
          report.add("unexpected");
        }
        if (post && !"100".equals(response.getHeaders().get(BenchProtocol.RECEIVED))) {
          report.add("unexpected.postBody");
        }
      } catch (Exception e) {
        report.failure(e);
      }
    }
  }
}
