package dev.h2fix.scenarios.jetty.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.server.RawHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A raw Jetty HTTP/2 server (h2c) in the scenario's JVM, loaded by a child class loader that sees
 * the server jars and shares Jetty's http2-common (so {@code HTTP2Session}, patched or not) with the
 * client. It records, per server session, whether its streams' callbacks ran before its
 * {@code Session.Listener.onClose} (stock Jetty: streams first) and how often onClose ran.
 *
 * <p>Driven through JDK types only: {@code apply("start")} returns the port, {@code apply("stop")},
 * and the counts go into the map given to the constructor.
 */
public final class ServerSide implements Function<String, Object> {
  private final Map<String, LongAdder> counts;
  private final Map<Session, Boolean> streamFailed = new ConcurrentHashMap<>();
  private final Map<Session, Integer> closes = new ConcurrentHashMap<>();
  /** Counted down when the server sees a stream: the client may then cut. */
  public volatile CountDownLatch streamSeen = new CountDownLatch(1);
  /** Counted down when a server session got its onClose. */
  public volatile CountDownLatch sessionClosed = new CountDownLatch(1);
  private Server server;

  public ServerSide(Map<String, LongAdder> counts) {
    this.counts = counts;
  }

  private void add(String key) {
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  @Override
  public Object apply(String command) {
    try {
      switch (command) {
        case "start":
          return start();
        case "stop":
          server.stop();
          for (Integer n : closes.values()) {
            add(n == 1 ? "server.closedOnce" : "server.closedTwice");
          }
          return null;
        case "arm":
          streamSeen = new CountDownLatch(1);
          sessionClosed = new CountDownLatch(1);
          return new CountDownLatch[] {streamSeen, sessionClosed};
        default:
          throw new IllegalArgumentException(command);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private int start() throws Exception {
    server = new Server();
    ServerSessionListener listener =
        new ServerSessionListener() {
          @Override
          public Stream.Listener onNewStream(Stream stream, HeadersFrame frame) {
            streamSeen.countDown();
            return new Stream.Listener() {
              @Override
              public void onFailure(Stream s, int error, String reason, Throwable failure, Callback callback) {
                streamCallback(s.getSession());
                callback.succeeded();
              }

              @Override
              public void onReset(Stream s, org.eclipse.jetty.http2.frames.ResetFrame frame, Callback callback) {
                streamCallback(s.getSession());
                callback.succeeded();
              }

              @Override
              public void onClosed(Stream s) {
                streamCallback(s.getSession());
              }
            };
          }

          @Override
          public void onClose(Session session, GoAwayFrame frame, Callback callback) {
            closes.merge(session, 1, Integer::sum);
            // The runtime is visible through the parent loaders (bootstrap with the agent).
            if (dev.h2fix.runtime.Invalidations.isInvalidated(session)) {
              add("server.invalidatedByH2fix");
            }
            add(streamFailed.containsKey(session) ? "server.streamCallbackBeforeOnClose" : "server.onCloseFirst");
            sessionClosed.countDown();
            callback.succeeded();
          }
        };
    ServerConnector connector =
        new ServerConnector(server, 1, 1, new RawHTTP2ServerConnectionFactory(new HttpConfiguration(), listener));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.start();
    return connector.getLocalPort();
  }

  private void streamCallback(Session session) {
    streamFailed.putIfAbsent(session, Boolean.TRUE);
  }
}
