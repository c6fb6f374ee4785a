package dev.h2fix.scenarios.jetty;

import dev.h2fix.runtime.Invalidations;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.util.Callback;

/**
 * Sequential cuts, Jetty's low-level HTTP2Client, with the usual session cache: a session is
 * cached when connected and dropped from the cache in {@code Session.Listener.onClose}. Each
 * iteration: stream A, which the bench delivers and then kills the connection under (FIN or RST
 * through the proxy); in A's first stream callback ({@code onClosed}, {@code onFailure} or
 * {@code onReset}), look at what the cache and the listeners know, then send B through the cache.
 *
 * <p>Stock: stream callbacks run before onClose, so the cache still holds the dead session and B
 * fails on it. With h2fix: onClose (and h2fix's InvalidationListener) ran first, B connects anew.
 * Also counts onClose per session (exactly once each).
 *
 * <p>Args: --h2c|--tls=port --transport=h2c|tls --keystore --password
 * --fault=fin|rst|goaway|idle|upload|protocol-error|stop|goaway-graceful-then-fin
 * [--idleTimeout=ms] --iterations=n --tag=name
 */
public final class LowLevelCut {
  /** Larger than the stream and session flow-control windows: the upload is still going when cut. */
  private static final int UPLOAD_BYTES = 8 * 1024 * 1024;

  public static void main(String[] argv) {
    ScenarioMain.run(argv, LowLevelCut::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    LowLevel low = new LowLevel(args);
    // fin, rst: the proxy cuts under the stream (input shutdown); goaway: the server refuses the
    // stream with GOAWAY(last-stream-id below it); idle: the server never answers and the client's
    // idle timeout ends the session (the halt path, which never calls Session.Listener.onFailure);
    // upload: a POST uploading a large body, reset under it (write failure racing the input
    // shutdown; its write callback counts as a stream callback too); protocol-error: the server
    // sends SETTINGS ENABLE_PUSH=1 (connection error PROTOCOL_ERROR); stop: HTTP2Client.stop()
    // while the stream is open (A's session comes from a client of its own, B's from the main one);
    // goaway-graceful-then-fin: graceful GOAWAY, A survives it, then EOF.
    String fault = args.get("fault");
    String action = switch (fault) {
      case "idle", "stop" -> "hang";
      case "upload" -> "rst";
      default -> fault;
    };
    int iterations = args.getInt("iterations");
    String tag = args.get("tag");
    Map<Session, AtomicInteger> closes = new ConcurrentHashMap<>();
    Map<Session, Boolean> onCloseInvoked = new ConcurrentHashMap<>();
    Map<Session, String> onClosePath = new ConcurrentHashMap<>();
    Map<Session, Boolean> raced = new ConcurrentHashMap<>();
    Map<Session, String> closeReasons = new ConcurrentHashMap<>();
    AtomicReference<Session> cache = new AtomicReference<>();
    Map<Session, CompletableFuture<Void>> closedFutures = new ConcurrentHashMap<>();
    Invalidations.addListener(s -> report.add("h2fixListener"));

    Session.Listener cacheListener =
        new Session.Listener() {
          @Override
          public void onClose(Session session, GoAwayFrame frame, Callback callback) {
            onCloseInvoked.put(session, Boolean.TRUE);
            closeReasons.putIfAbsent(session, String.valueOf(frame == null ? null : frame.tryConvertPayload()));
            onClosePath.put(session, racingPath());
            cache.compareAndSet(session, null);
            closes.computeIfAbsent(session, k -> new AtomicInteger()).incrementAndGet();
            closed(closedFutures, session).complete(null);
            callback.succeeded();
          }

          @Override
          public void onFailure(Session session, Throwable failure, Callback callback) {
            callback.succeeded();
          }
        };

    try {
      for (int i = 0; i < iterations; i++) {
        org.eclipse.jetty.http2.client.HTTP2Client doomed = null;
        if (fault.equals("stop")) {
          doomed = low.newClient();
          doomed.start();
        }
        Session a = (doomed != null ? low.connect(doomed, cacheListener) : low.connect(cacheListener))
            .get(30, TimeUnit.SECONDS); // connect + TLS handshake: seconds at load average 30+
        low.shortIdle(a);
        cache.set(a);
        CompletableFuture<Integer> second = new CompletableFuture<>();
        AtomicBoolean firstCallback = new AtomicBoolean();
        String id = tag + "-" + i;
        int iteration = i;
        Runnable inCallback =
            () -> {
              if (!firstCallback.compareAndSet(false, true)) {
                return;
              }
              report.add("first.failed");
              Session cached = cache.get();
              report.add(cached == a ? "cb.deadSessionCached" : "cb.cacheCleared");
              boolean afterOnClose = onCloseInvoked.containsKey(a);
              report.add(afterOnClose ? "cb.afterOnClose" : "cb.beforeOnClose");
              if (!afterOnClose || cached == a) {
                report.add("race.via." + racingPath());
                raced.put(a, Boolean.TRUE);
              }
              report.add(Invalidations.isInvalidated(a) ? "cb.h2fixListenerRan" : "cb.h2fixListenerSilent");
              // B, sent from inside the callback through the cache, as application code would.
              HeadersFrame b = low.request(id + "-b", null);
              CompletableFuture<Session> session =
                  cached != null ? CompletableFuture.completedFuture(cached) : connectAndCache(low, cacheListener, cache);
              session.thenCompose(s -> LowLevel.exchange(s, b)).whenComplete((status, x) -> {
                if (x != null) {
                  second.completeExceptionally(x);
                } else {
                  second.complete(status);
                }
              });
            };
        CompletableFuture<Stream> opened = new CompletableFuture<>();
        a.newStream(
            fault.equals("upload") ? low.upload(id + "-a", action) : low.request(id + "-a", action),
            new org.eclipse.jetty.util.Promise<Stream>() {
              @Override
              public void succeeded(Stream stream) {
                opened.complete(stream);
                if (fault.equals("upload")) {
                  stream.data(new org.eclipse.jetty.http2.frames.DataFrame(stream.getId(),
                      java.nio.ByteBuffer.allocate(UPLOAD_BYTES), true), Callback.from(() -> report.add("first.uploaded"),
                      x -> {
                        inCallback.run();
                        report.add("first.writeFailed");
                      }));
                }
              }

              @Override
              public void failed(Throwable x) {
                report.add("first.notOpened");
              }
            },
            new Stream.Listener() {
              @Override
              public void onHeaders(Stream stream, HeadersFrame frame) {
                report.add("first.unexpectedResponse");
              }

              @Override
              public void onReset(Stream stream, org.eclipse.jetty.http2.frames.ResetFrame frame, Callback callback) {
                inCallback.run();
                callback.succeeded();
              }

              @Override
              public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
                inCallback.run();
                callback.succeeded();
              }

              @Override
              public void onClosed(Stream stream) {
                inCallback.run();
              }
            });
        if (doomed != null) {
          try {
            opened.get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            report.add("first.notOpenedBeforeStop");
          }
          doomed.stop(); // the application stops the client while A is open
        }
        try {
          Integer status = second.get(30, TimeUnit.SECONDS);
          report.add(status == 200 ? "second.ok" : "second.unexpected");
        } catch (Exception e) {
          report.add("second.failed");
          report.failure(e);
        }
        if (iteration % 50 == 49) {
          System.err.println("iteration " + (iteration + 1));
        }
        // Wait for A's end (its onClose), then leave no open session behind: the next iteration
        // starts from a fresh connection. (Closing A itself while Jetty tears it down would make
        // stock Jetty deliver a second onClose.)
        try {
          closed(closedFutures, a).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          report.add("first.neverClosed");
        }
        report.add("first.closeReason." + closeReasons.getOrDefault(a, "none").replace(' ', '_'));
        if (raced.containsKey(a)) {
          report.add("race.onClose.via." + onClosePath.getOrDefault(a, "none"));
        }
        Session left = cache.getAndSet(null);
        if (left != null && left != a) {
          CountDownLatch closed = new CountDownLatch(1);
          left.close(0, "done", Callback.from(closed::countDown));
          closed.await(10, TimeUnit.SECONDS);
        }
      }
      // Every session closed by now (A's by the cut, B's just above): each had exactly one onClose.
      for (AtomicInteger n : closes.values()) {
        report.add(n.get() == 1 ? "sessions.closedOnce" : "sessions.closedTwice");
      }
    } finally {
      low.client.stop();
    }
    report.agentState("jetty");
    report.print();
  }

  /**
   * Which Jetty teardown step runs this code: reported as {@code race.via.*} for a stream callback
   * that ran before onClose returned (or with the dead session still cached), and as
   * {@code race.onClose.via.*} for that session's onClose.
   */
  private static String racingPath() {
    StringBuilder path = new StringBuilder(Thread.currentThread().getName().replaceAll("@[0-9a-f]*", "").replaceAll("[-0-9]+$", ""));
    for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
      String m = e.getMethodName();
      if (m.equals("closeAndFail") || m.equals("onShutdown") || m.equals("onWriteFailure")
          || m.equals("failStreams") || m.equals("halt") || m.equals("onCompleteFailure") || m.equals("onFailure")
              && e.getClassName().endsWith("HTTP2Flusher")) {
        path.append('.').append(e.getClassName().replaceAll(".*\\.", "")).append('#').append(m);
      }
    }
    return path.toString().replace(' ', '_');
  }

  private static CompletableFuture<Void> closed(Map<Session, CompletableFuture<Void>> futures, Session session) {
    return futures.computeIfAbsent(session, k -> new CompletableFuture<>());
  }

  private static CompletableFuture<Session> connectAndCache(
      LowLevel low, Session.Listener listener, AtomicReference<Session> cache) {
    return low.connect(listener).thenApply(s -> {
      cache.set(s);
      return s;
    });
  }
}
