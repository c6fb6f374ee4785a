package dev.h2fix.chaos.child;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.bench.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 HttpClient over HTTP/2 (h2c). Unsent, what Jetty proves: the request is above a GOAWAY's
 * last-stream-id ({@code RetryableRequestException}, {@code RetryableStreamException}; that includes
 * the failure of h2fix's copy of such a request), the server reset it with REFUSED_STREAM, or it
 * was never committed and failed with the session's "closed" refusal ({@code IllegalStateException}:
 * no stream was created). An uncommitted request failing with {@code ClosedChannelException} or
 * {@code EofException} may have had its HEADERS on the wire: not counted as unsent. One-shot bodies
 * are InputStream contents, which cannot be rewound.
 */
final class JettyClientDriver implements Driver {
  private final HttpClient client;
  private final String url;
  private final long timeoutMs;

  JettyClientDriver(int port, long timeoutMs, SelfSignedCertificate cert) throws Exception {
    ClientConnector connector = new ClientConnector();
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setSslContext(cert.clientSslContext());
    connector.setSslContextFactory(tls);
    client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
    // Jetty's default pool, except that it retires every thread idle for its 60 s idle timeout at
    // once (stock retires one per 60 s): so the soak's resource check, which waits 75 s, sees
    // whether threads are left behind, not how slowly an idle pool shrinks.
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("HttpClient");
    threads.setMaxEvictCount(threads.getMaxThreads());
    client.setExecutor(threads);
    client.setConnectTimeout(timeoutMs);
    client.setMaxRequestsQueuedPerDestination(100_000);
    client.start();
    this.url = "http://127.0.0.1:" + port + "/chaos";
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String statsClient() {
    return "jetty";
  }

  @Override
  public CompletableFuture<Outcome> send(ChildRequest request) {
    AtomicBoolean committed = new AtomicBoolean();
    Request jetty = client.newRequest(url).version(HttpVersion.HTTP_2).timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .headers(h -> {
          h.put(BenchProtocol.ID, request.id()).put(BenchProtocol.SIZE, Integer.toString(request.responseSize()));
          if (request.action() != null) {
            h.put(BenchProtocol.ACTION, request.action());
          }
        })
        .onRequestCommit(r -> committed.set(true));
    switch (request.body()) {
      case POST -> jetty.method("POST").body(new BytesRequestContent(new byte[request.bodySize()]));
      case ONE_SHOT -> jetty.method("POST")
          .body(new InputStreamRequestContent(new ByteArrayInputStream(new byte[request.bodySize()])));
      default -> {
        // GET
      }
    }
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    try {
      jetty.send(new BufferingResponseListener(Math.max(1024, request.responseSize())) {
        @Override
        public void onComplete(Result result) {
          if (result.isFailed()) {
            Throwable failure = result.getFailure();
            // h2fix replays a request as a copy: the result of the copy names the copy.
            boolean replayed = result.getRequest() != jetty;
            outcome.complete(Outcome.failed(failure, unsent(failure, committed.get()), replayed));
          } else if (result.getResponse().getStatus() == 200 && getContent().length == request.responseSize()) {
            outcome.complete(Outcome.success());
          } else {
            outcome.complete(Outcome.failed(new IOException("status " + result.getResponse().getStatus()), false));
          }
        }
      });
    } catch (RuntimeException e) {
      outcome.complete(Outcome.failed(e, false));
    }
    return outcome;
  }

  private static boolean unsent(Throwable failure, boolean committed) {
    return Failures.hasCause(failure, "org.eclipse.jetty.client.RetryableRequestException")
        || Failures.hasCause(failure, "org.eclipse.jetty.http2.RetryableStreamException")
        || String.valueOf(Failures.unwrap(failure).getMessage()).contains("refused_stream")
        || (!committed && Failures.hasCause(failure, "java.lang.IllegalStateException"));
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
