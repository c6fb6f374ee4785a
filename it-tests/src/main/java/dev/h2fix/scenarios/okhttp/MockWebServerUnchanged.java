package dev.h2fix.scenarios.okhttp;

import dev.h2fix.runtime.InvalidatedSession;
import dev.h2fix.runtime.Invalidations;
import dev.h2fix.scenarios.Report;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp's Http2Connection also runs MockWebServer's server side. Client and server in one JVM:
 * every few responses the server shuts its HTTP/2 connection down, and at the end the server
 * closes. The server must behave as stock (same requests, same responses), and h2fix must only
 * ever report client connections: one invalidation per client connection, each for the server's
 * port.
 *
 * <p>Each block of requests that ends in a shutdown goes to its own host name (all resolved to
 * 127.0.0.1), so it has its own client connection and no request is ever sent on a connection the
 * server is shutting down. MockWebServer cannot take that race: when a stream's HEADERS are read
 * just before its own {@code shutdown()}, the GOAWAY covers the stream, writing the response then
 * throws {@code ConnectionShutdownException}, and the stream is never answered nor reset (seen
 * once on CI: the call timed out and every later response was one off).
 */
public final class MockWebServerUnchanged {
  private static final int REQUESTS = 30;
  private static final int PER_CONNECTION = 5;

  public static void main(String[] args) throws Exception {
    Report report = new Report();
    try (MockWebServer server = new MockWebServer()) {
      server.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      int port = server.getPort();
      Invalidations.addListener(s -> count(s, port, report));
      for (int i = 0; i < REQUESTS; i++) {
        MockResponse.Builder response = new MockResponse.Builder().code(200).body("r" + i);
        if (i % PER_CONNECTION == PER_CONNECTION - 1) {
          response.onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE); // server-side GOAWAY
        }
        server.enqueue(response.build());
      }
      OkHttpClient client = new OkHttpClient.Builder()
          .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
          .callTimeout(10, TimeUnit.SECONDS)
          .dns(host -> List.of(InetAddress.getByName("127.0.0.1")))
          .eventListener(new EventListener() {
            @Override
            public void connectEnd(Call call, java.net.InetSocketAddress address, java.net.Proxy proxy, Protocol protocol) {
              report.add("client.connections");
            }
          })
          .build();
      for (int i = 0; i < REQUESTS; i++) {
        HttpUrl url = server.url("/m" + i).newBuilder().host("block" + i / PER_CONNECTION + ".h2fix.test").build();
        Request request = new Request.Builder().url(url).build();
        try (Response response = client.newCall(request).execute()) {
          report.add(("r" + i).equals(response.body().string()) ? "ok" : "unexpected");
        } catch (IOException e) {
          report.failure(e);
        }
      }
      report.add("server.requestCount", server.getRequestCount());
      client.connectionPool().evictAll();
      client.dispatcher().executorService().shutdown();
    }
    report.agentState("okhttp");
    report.print();
    System.exit(0);
  }

  private static void count(InvalidatedSession session, int port, Report report) {
    report.add(session.port() == port ? "invalidated.client" : "invalidated.other");
  }
}
