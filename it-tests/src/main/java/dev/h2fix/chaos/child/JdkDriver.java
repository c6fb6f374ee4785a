package dev.h2fix.chaos.child;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.bench.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The JDK's java.net.http.HttpClient over TLS (ALPN h2; it has no h2c prior knowledge). Unsent:
 * a stream the server refused (the client reports REFUSED_STREAM in its message; the parent checks
 * the delivery log) . One-shot bodies are InputStream publishers whose stream can be opened once.
 */
final class JdkDriver implements Driver {
  private final HttpClient client;
  private final URI uri;
  private final Duration timeout;

  JdkDriver(int port, long timeoutMs, SelfSignedCertificate cert) {
    timeout = Duration.ofMillis(timeoutMs);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(cert.clientSslContext())
        .connectTimeout(timeout).build();
    uri = URI.create("https://127.0.0.1:" + port + "/chaos");
  }

  @Override
  public String statsClient() {
    return "jdk";
  }

  @Override
  public CompletableFuture<Outcome> send(ChildRequest request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
        .header(BenchProtocol.ID, request.id())
        .header(BenchProtocol.SIZE, Integer.toString(request.responseSize()));
    if (request.action() != null) {
      builder.header(BenchProtocol.ACTION, request.action());
    }
    switch (request.body()) {
      case POST -> builder.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[request.bodySize()]));
      case ONE_SHOT -> builder.POST(HttpRequest.BodyPublishers.ofInputStream(new OneShot(request.bodySize())));
      default -> builder.GET();
    }
    try {
      return client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
        if (failure != null) {
          Throwable root = Failures.unwrap(failure);
          String message = String.valueOf(root.getMessage());
          return Outcome.failed(root, message.contains("RST_STREAM: Stream not processed") || message.contains("REFUSED_STREAM"));
        }
        return response.statusCode() == 200 && response.body().length == request.responseSize()
            ? Outcome.success() : Outcome.failed(new IOException("status " + response.statusCode()), false);
      });
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Outcome.failed(e, true));
    }
  }

  /** An InputStream that can be handed out once, like a body read from a socket. */
  private static final class OneShot implements Supplier<InputStream> {
    private final int size;
    private final AtomicBoolean used = new AtomicBoolean();

    OneShot(int size) {
      this.size = size;
    }

    @Override
    public InputStream get() {
      if (!used.compareAndSet(false, true)) {
        throw new IllegalStateException("one-shot body already read");
      }
      return new ByteArrayInputStream(new byte[size]);
    }
  }

  @Override
  public void close() {
    // HttpClient has no close() on Java 17; its threads are daemons.
  }
}
