package dev.h2fix.runtime;

import java.io.EOFException;
import java.net.ProtocolException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Helper of the JDK client module ({@code dev.h2fix.instrumentation.jdk}): dead connections, told to
 * the invalidation listeners, and what a GOAWAY said (for {@link JdkReroutes}). It lives in the
 * runtime because the JDK client's classes (module {@code java.net.http}, platform loader) see only
 * the bootstrap loader; like the rest of the runtime it uses JDK types only, and names library
 * members as strings, called through {@link PrivateCalls} with the library's own lookup. Never throws
 * into the client: every entry point catches and counts.
 */
public final class JdkSessions {
  /** 17: the lowest last-stream-id of the GOAWAYs a connection received (RFC 9113 §6.8: it only goes down). */
  private static final WeakIdentityMap<AtomicInteger> GOAWAY_LAST_STREAM = new WeakIdentityMap<>();
  /** 17: the failure a GOAWAY'd connection was shut down with, and that GOAWAY's last-stream-id. */
  private static final WeakIdentityMap<Integer> GOAWAY_FAILURES = new WeakIdentityMap<>();

  private JdkSessions() {}

  /**
   * {@code Http2Connection.shutdown(Throwable)} is starting: every teardown (EOF, read or write
   * failure, protocol error, idle close, GOAWAY on 17) funnels here before a stream is failed.
   */
  public static void onShutdown(Object connection, String key, Throwable cause) {
    try {
      AtomicInteger goAwayLast = GOAWAY_LAST_STREAM.get(connection);
      if (goAwayLast != null && cause != null) {
        // 17: the connection had a GOAWAY; the streams above its last-stream-id that this failure
        // reaches were not processed by the server.
        GOAWAY_FAILURES.putIfAbsent(cause, goAwayLast.get());
      }
      Invalidations.invalidate(connection, session(key, reasonFor(cause), cause));
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** The peer sent GOAWAY: the connection takes no new stream from now on. */
  public static void onGoAway(Object connection, String key) {
    try {
      Invalidations.invalidate(connection, session(key, InvalidatedSession.Reason.GOAWAY, null));
    } catch (Throwable t) {
      failed(t);
    }
  }

  /**
   * Java 17: the peer sent GOAWAY with {@code lastStream}. Remembers the lowest last-stream-id the
   * connection received and returns it, so that the streams above it, which the server did not
   * process (RFC 9113 §6.8), can be told from the others when their failure reaches
   * {@link JdkReroutes#reroute}.
   */
  static int goAwayReceived(Object connection, int lastStream) {
    // No lambda: a JVM's first one bootstraps method handles, milliseconds on the reader thread.
    AtomicInteger last = GOAWAY_LAST_STREAM.addIfAbsent(connection, new AtomicInteger(lastStream));
    while (true) {
      int seen = last.get();
      if (seen <= lastStream || last.compareAndSet(seen, lastStream)) {
        return Math.min(seen, lastStream);
      }
    }
  }

  /** Java 17: the lowest last-stream-id of the GOAWAYs {@code connection} received, or null if none. */
  static Integer goAwayLastStream(Object connection) {
    AtomicInteger last = GOAWAY_LAST_STREAM.get(connection);
    return last == null ? null : last.get();
  }

  /** Java 17: {@code failure} is a GOAWAY's, for the streams above {@code lastStream}. */
  static void goAwayFailure(Throwable failure, int lastStream) {
    GOAWAY_FAILURES.putIfAbsent(failure, lastStream);
  }

  static InvalidatedSession session(String key, InvalidatedSession.Reason reason, Throwable cause) {
    String host = "unknown";
    int port = -1;
    if (key != null) {
      // Http2Connection.keyString: "S:H:host:port", "C:H:host:port", "C:P:proxy:port", "S:T:H:host:port;P:..."
      int h = key.indexOf("H:");
      int start = h >= 0 ? h + 2 : key.indexOf("P:") + 2;
      int end = key.indexOf(';', start);
      String hostPort = end < 0 ? key.substring(Math.max(start, 0)) : key.substring(start, end);
      int colon = hostPort.lastIndexOf(':');
      if (colon > 0) {
        host = hostPort.substring(0, colon);
        try {
          port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
    }
    return new InvalidatedSession(Client.JDK, host, port, reason, cause == null ? null : cause.getClass().getName());
  }

  static InvalidatedSession.Reason reasonFor(Throwable cause) {
    if (cause == null) {
      return InvalidatedSession.Reason.LOCAL_CLOSE;
    }
    if (cause instanceof EOFException) {
      return InvalidatedSession.Reason.PEER_CLOSED;
    }
    if (cause instanceof ProtocolException) {
      return InvalidatedSession.Reason.PROTOCOL_ERROR;
    }
    String message = cause.getMessage();
    if (message != null && message.endsWith("GOAWAY received")) {
      return InvalidatedSession.Reason.GOAWAY;
    }
    // By name: java.net.http is not visible from the bootstrap loader.
    if (cause.getClass().getName().startsWith("java.net.http.HttpConnectTimeout")
        || cause.getClass().getName().equals("java.net.http.HttpTimeoutException")) {
      return InvalidatedSession.Reason.TIMEOUT;
    }
    return InvalidatedSession.Reason.IO_FAILURE;
  }

  /** 17: the last-stream-id of the GOAWAY whose shutdown failed with {@code failure}, or null. */
  static Integer goAwayLastStreamOf(Throwable failure) {
    return GOAWAY_FAILURES.get(failure);
  }

  static void failed(Throwable t) {
    Stats.increment(Client.JDK, Event.ADVICE_FAILURES);
    H2FixLog.warnOnce("jdk:" + t.getClass().getName(), "jdk module: internal failure " + t.getClass().getName() + "; left as stock");
  }
}
