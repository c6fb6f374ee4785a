package dev.h2fix.scenarios.jetty;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.bench.SelfSignedCertificate;
import dev.h2fix.scenarios.ScenarioArgs;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty's low-level HTTP2Client for the scenarios: h2c or TLS (ALPN h2) to the bench's proxies. Same API on 12.0 and 12.1. */
final class LowLevel {
  final HTTP2Client client;
  final SslContextFactory.Client tls;
  final InetSocketAddress address;
  final String authority;
  final String scheme;
  final int idleTimeout;
  private final boolean useTls;

  LowLevel(ScenarioArgs args) throws Exception {
    boolean useTls = args.get("transport").equals("tls");
    SelfSignedCertificate cert = SelfSignedCertificate.load(Path.of(args.get("keystore")), args.get("password"));
    tls = new SslContextFactory.Client();
    tls.setSslContext(cert.clientSslContext());
    // Load the session classes first: with the agent their first load builds the patch (Byte Buddy
    // start-up, some 100s of ms on this machine), which must not eat into a short idle timeout of
    // the first connection.
    Class.forName("org.eclipse.jetty.http2.HTTP2Session$Entry");
    Class.forName("org.eclipse.jetty.http2.client.internal.HTTP2ClientSession");
    client = newClient();
    // Applied to a session once connected (shortIdle), not to the client: a short idle timeout
    // would also cover connect and TLS handshake, which take longer than that on a loaded machine.
    idleTimeout = args.getInt("idleTimeout", 0);
    client.start();
    int port = args.getInt(args.get("transport"));
    address = new InetSocketAddress("127.0.0.1", port);
    authority = "127.0.0.1:" + port;
    scheme = useTls ? "https" : "http";
    this.useTls = useTls;
  }

  /** Another HTTP2Client with the same TLS set-up (not started). */
  HTTP2Client newClient() {
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tls);
    return new HTTP2Client(connector);
  }

  CompletableFuture<Session> connect(Session.Listener listener) {
    return connect(client, listener);
  }

  CompletableFuture<Session> connect(HTTP2Client through, Session.Listener listener) {
    return useTls ? through.connect(tls, address, listener) : through.connect(address, listener);
  }

  /**
   * Stops the client, waiting at most {@code millis}: with a session Jetty never closed, {@code stop()}
   * may not return, and the figures must still be printed (counted as {@code client.stopHung}; the
   * JVM exits after the report all the same).
   */
  void stopWithin(dev.h2fix.scenarios.Report report, long millis) throws InterruptedException {
    Thread stopper = new Thread(() -> {
      try {
        client.stop();
      } catch (Exception e) {
        // The run's figures are what matters here.
      }
    }, "stop-client");
    stopper.setDaemon(true);
    stopper.start();
    stopper.join(millis);
    if (stopper.isAlive()) {
      report.add("client.stopHung");
    }
  }

  /** Gives a connected session the scenario's idle timeout (--idleTimeout, ms), if any. */
  void shortIdle(Session session) {
    if (idleTimeout > 0) {
      ((org.eclipse.jetty.http2.HTTP2Session) session).getEndPoint().setIdleTimeout(idleTimeout);
    }
  }

  /** A POST whose body (DATA frames) the caller sends on the stream. */
  HeadersFrame upload(String id, String action) {
    HttpFields.Mutable fields = HttpFields.build();
    fields.put(BenchProtocol.ID, id);
    fields.put(BenchProtocol.ACTION, action);
    MetaData.Request meta =
        new MetaData.Request("POST", HttpURI.from(scheme + "://" + authority + "/low"), HttpVersion.HTTP_2, fields);
    return new HeadersFrame(meta, null, false);
  }

  HeadersFrame request(String id, String action) {
    HttpFields.Mutable fields = HttpFields.build();
    fields.put(BenchProtocol.ID, id);
    if (action != null) {
      fields.put(BenchProtocol.ACTION, action);
    }
    MetaData.Request meta =
        new MetaData.Request("GET", HttpURI.from(scheme + "://" + authority + "/low"), HttpVersion.HTTP_2, fields);
    return new HeadersFrame(meta, null, true);
  }

  /** Reads and releases what arrived on {@code stream}: runs {@code atEnd} at its end, else demands more. */
  static void drain(Stream stream, Runnable atEnd) {
    Stream.Data data = stream.readData();
    if (data != null) {
      data.release();
      if (data.frame().isEndStream()) {
        atEnd.run();
        return;
      }
    }
    stream.demand();
  }

  /** Opens a stream; the future completes with the response status, or fails. */
  static CompletableFuture<Integer> exchange(Session session, HeadersFrame frame) {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    session.newStream(
        frame,
        new Promise<Stream>() {
          @Override
          public void succeeded(Stream stream) {}

          @Override
          public void failed(Throwable x) {
            status.completeExceptionally(x);
          }
        },
        new Stream.Listener() {
          @Override
          public void onHeaders(Stream stream, HeadersFrame response) {
            if (response.getMetaData() instanceof MetaData.Response) {
              status.complete(((MetaData.Response) response.getMetaData()).getStatus());
            }
            if (!response.isEndStream()) {
              stream.demand();
            }
          }

          @Override
          public void onDataAvailable(Stream stream) {
            drain(stream, () -> { });
          }

          @Override
          public void onFailure(Stream stream, int error, String reason, Throwable failure, org.eclipse.jetty.util.Callback callback) {
            status.completeExceptionally(failure);
            callback.succeeded();
          }

          @Override
          public void onClosed(Stream stream) {
            status.completeExceptionally(new IllegalStateException("closed without response"));
          }
        });
    return status.orTimeout(30, TimeUnit.SECONDS);
  }
}
