package dev.h2fix.runtime;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Helper of the JDK client module: requests the server provably never processed, sent again. On 25
 * by marking the exchange "unprocessed by peer" (the client's own retry takes it); on 17, which has
 * no such retry, by failures h2fix makes and recognises in {@code MultiExchange.getExceptionalCF},
 * within {@link RerouteBudget}. In the runtime for the same reason as {@link JdkSessions}. Never
 * throws into the client.
 */
public final class JdkReroutes {
  private static final String STREAM = "jdk.internal.net.http.Stream";
  private static final String EXCHANGE_IMPL = "jdk.internal.net.http.ExchangeImpl";
  private static final String OUTGOING_HEADERS = "jdk.internal.net.http.frame.OutgoingHeaders";
  private static final String EXCHANGE = "jdk.internal.net.http.Exchange";
  private static final String ERROR_FRAME = "jdk.internal.net.http.frame.ErrorFrame";
  /** RFC 9113 §7: the stream was refused before any processing. */
  private static final int REFUSED_STREAM = 0x7;
  private static final int REFUSED_REPLAYS = 1;
  private static final int CAUSE_DEPTH = 4;
  private static final String PEER_CLOSED = "connection closed by the peer before the stream was sent";

  /** Failures h2fix made for streams it knows were never sent: rerouted on 17 (with GOAWAY refusals). */
  private static final WeakIdentitySet NEVER_SENT = new WeakIdentitySet();
  /** Java 17: streams the server reset with REFUSED_STREAM (not processed): rerouted once, as GOAWAY refusals. */
  private static final WeakIdentitySet REFUSED_BY_PEER = new WeakIdentitySet();

  private JdkReroutes() {}

  /**
   * Java 25: {@code registerNewStream} found the connection already shutting down, so the stream's
   * HEADERS were never encoded: marks the exchange unprocessed by the peer, and the client's own
   * single retry sends it again on a fresh connection. Called with {@code Http2Connection}'s lookup.
   */
  public static void markUnsentUnprocessed(MethodHandles.Lookup lookup, Object outgoingHeaders) {
    try {
      if (H2FixRuntime.config().rerouteMaxAttempts() <= 0) {
        Stats.increment(Client.JDK, Event.REPLAYS_DECLINED_UNSAFE);
        return;
      }
      Object stream = attachedStream(lookup, outgoingHeaders);
      PrivateCalls.call(lookup, EXCHANGE_IMPL, "markUnprocessedByPeer", void.class, new Class<?>[0], stream);
      Stats.increment(Client.JDK, Event.REQUESTS_REROUTED);
    } catch (Throwable t) {
      JdkSessions.failed(t);
    }
  }
  /**
   * Java 25: {@code registerNewStream} on a connection whose socket has already read the peer's
   * close ({@link JdkPeerClose}) but which has not shut down yet, so stock would register the stream
   * and write its HEADERS to a dead socket. Instead the stream is marked unprocessed by the peer and
   * cancelled before it has an id or any of it is encoded (as stock cancels it once the connection is
   * shutting down); the client's own single retry sends it on a fresh connection. True if done (the
   * advice then skips stock); false leaves stock as it is (reroutes disabled, or a failure here).
   */
  public static boolean refusePeerClosed25(MethodHandles.Lookup lookup, Object outgoingHeaders) {
    try {
      if (H2FixRuntime.config().rerouteMaxAttempts() <= 0) {
        return false;
      }
      Object stream = attachedStream(lookup, outgoingHeaders);
      PrivateCalls.call(lookup, EXCHANGE_IMPL, "markUnprocessedByPeer", void.class, new Class<?>[0], stream);
      cancel(lookup, stream, new IOException(PEER_CLOSED));
      Stats.increment(Client.JDK, Event.REQUESTS_REROUTED);
      return true;
    } catch (Throwable t) {
      JdkSessions.failed(t);
      return false;
    }
  }
  /**
   * Java 17: as {@link #refusePeerClosed25}, with a failure h2fix knows was never sent (rerouted by
   * {@link #reroute}, within the bound). True if done (the advice then skips stock).
   */
  public static boolean refusePeerClosed17(MethodHandles.Lookup lookup, Object outgoingHeaders) {
    try {
      if (H2FixRuntime.config().rerouteMaxAttempts() <= 0) {
        return false;
      }
      cancelNeverSent(lookup, outgoingHeaders, PEER_CLOSED, null);
      return true;
    } catch (Throwable t) {
      JdkSessions.failed(t);
      return false;
    }
  }
  /**
   * Java 25: the connection is shutting down after a GOAWAY. Stock closes the streams above the
   * GOAWAY's last-stream-id as unprocessed on the executor; when the connection closes first (the
   * server closes once the streams below are done), {@code shutdown} fails them with the connection's
   * error and they are not retried. Marks them unprocessed by the peer before that, as stock would
   * have. Called with {@code Http2Connection}'s lookup.
   */
  public static void markAboveGoAwayUnprocessed(
      MethodHandles.Lookup lookup, AtomicLong lastProcessed, Map<Integer, ?> streams) {
    try {
      long last = lastProcessed == null ? -1 : lastProcessed.get();
      if (last < 0 || streams == null || H2FixRuntime.config().rerouteMaxAttempts() <= 0) {
        return;
      }
      for (Map.Entry<Integer, ?> e : streams.entrySet()) {
        int id = e.getKey();
        if ((id & 1) == 1 && id > last) {
          // Not counted as rerouted: stock marks them too, only later.
          PrivateCalls.call(lookup, EXCHANGE_IMPL, "markUnprocessedByPeer", void.class, new Class<?>[0], e.getValue());
        }
      }
    } catch (Throwable t) {
      JdkSessions.failed(t);
    }
  }
  /**
   * Java 17: {@code registerNewStream} found the connection already closed. Stock would register the
   * stream after {@code shutdown} has failed all others and write its HEADERS to a closed
   * connection: the request waits forever (or until its timeout). Instead the stream is cancelled
   * now, before any of it is encoded, with a failure h2fix knows was never sent. True if done (the
   * advice then skips stock); false leaves stock as it is.
   */
  public static boolean refuseUnsent(MethodHandles.Lookup lookup, Object outgoingHeaders, Throwable connectionCause) {
    try {
      cancelNeverSent(lookup, outgoingHeaders, "connection closed before the stream was sent", connectionCause);
      return true;
    } catch (Throwable t) {
      JdkSessions.failed(t);
      return false;
    }
  }
  /**
   * Java 17: {@code registerNewStream} on a connection marked final. If the mark is a GOAWAY's
   * ({@link JdkGoAways#handle} sets it under the send lock this registration holds), the stream is
   * cancelled before it gets an id or any of it is encoded, with a failure h2fix knows was never
   * sent: it goes to a fresh connection instead of above the GOAWAY's last-stream-id. True if done
   * (the advice then skips stock); false (a final mark of stock's own) leaves stock as it is.
   */
  public static boolean refuseAfterGoAway(MethodHandles.Lookup lookup, Object connection, Object outgoingHeaders) {
    try {
      if (JdkSessions.goAwayLastStream(connection) == null) {
        return false;
      }
      cancelNeverSent(lookup, outgoingHeaders, "GOAWAY received before the stream was sent", null);
      return true;
    } catch (Throwable t) {
      JdkSessions.failed(t);
      return false;
    }
  }
  /**
   * Java 17: a stream was registered on a connection whose {@code shutdown} ran meanwhile and may
   * have missed it. Fails it the way {@code shutdown} fails the others (idempotent on a stream
   * already failed), so it cannot wait forever. Not rerouted: its HEADERS may be on the wire.
   */
  public static void failOrphan(MethodHandles.Lookup lookup, Object stream, Throwable connectionCause) {
    try {
      Throwable cause = connectionCause != null ? connectionCause : new IOException("connection closed");
      PrivateCalls.call(lookup, STREAM, "connectionClosing", void.class, new Class<?>[] {Throwable.class}, stream, cause);
    } catch (Throwable t) {
      JdkSessions.failed(t);
    }
  }
  /**
   * Java 17: an open stream was reset by the server; remembers it if the code was REFUSED_STREAM,
   * which says the server did not process it (Java 25's client retries those itself). Called with
   * {@code Stream}'s lookup.
   */
  public static void onReset(MethodHandles.Lookup lookup, Object stream, Object resetFrame) {
    try {
      int code = (Integer) PrivateCalls.call(lookup, ERROR_FRAME, "getErrorCode", int.class, new Class<?>[0], resetFrame);
      if (code == REFUSED_STREAM) {
        REFUSED_BY_PEER.add(stream);
      }
    } catch (Throwable t) {
      JdkSessions.failed(t);
    }
  }
  /**
   * Java 17, {@code MultiExchange.getExceptionalCF}: true if the failed attempt provably was not
   * processed by the server and may be sent again: a failure h2fix made for a stream it never sent,
   * within the reroute bound; or, once, the failure of a GOAWAY'd connection for a stream above the
   * GOAWAY's last-stream-id, or of a stream the server refused with REFUSED_STREAM. The advice then retries the way stock retries an expired
   * connection. Called with {@code MultiExchange}'s lookup; {@code exchange} is its current one.
   */
  public static boolean reroute(MethodHandles.Lookup lookup, Object multiExchange, Object exchange, Throwable failure) {
    try {
      Throwable cause = unwrap(failure);
      int max;
      if (NEVER_SENT.contains(cause)) {
        max = H2FixRuntime.config().rerouteMaxAttempts();
      } else if ((JdkSessions.goAwayLastStreamOf(cause) != null
              && aboveLastStream(lookup, exchange, JdkSessions.goAwayLastStreamOf(cause)))
          || refusedByPeer(lookup, exchange)) {
        if (!H2FixRuntime.config().rerouteRefusedStreams()) {
          Stats.increment(Client.JDK, Event.REPLAYS_DECLINED_UNSAFE);
          return false;
        }
        max = Math.min(H2FixRuntime.config().rerouteMaxAttempts(), RerouteBudget.used(multiExchange) + REFUSED_REPLAYS);
      } else {
        return false;
      }
      if (!RerouteBudget.tryAcquire(multiExchange, max)) {
        Stats.increment(Client.JDK, Event.REPLAYS_DECLINED_UNSAFE);
        return false;
      }
      Stats.increment(Client.JDK, Event.REQUESTS_REROUTED);
      return true;
    } catch (Throwable t) {
      JdkSessions.failed(t);
      return false;
    }
  }
  private static boolean aboveLastStream(MethodHandles.Lookup lookup, Object exchange, int last) throws Throwable {
    Object impl = stream(lookup, exchange);
    if (impl == null) {
      return false;
    }
    int id = (Integer) PrivateCalls.field(lookup, STREAM, "streamid", impl);
    return id > last && (id & 1) == 1;
  }

  private static boolean refusedByPeer(MethodHandles.Lookup lookup, Object exchange) throws Throwable {
    Object stream = stream(lookup, exchange);
    return stream != null && REFUSED_BY_PEER.contains(stream);
  }

  /** The exchange's HTTP/2 stream, or null (none yet, or HTTP/1.1). */
  private static Object stream(MethodHandles.Lookup lookup, Object exchange) throws Throwable {
    if (exchange == null) {
      return null;
    }
    Object impl = PrivateCalls.field(lookup, EXCHANGE, "exchImpl", exchange);
    return impl != null && impl.getClass().getName().equals(STREAM) ? impl : null;
  }
  /** Java 17: a fresh connection gets a fresh connect timeout, as stock does before its own retry. */
  public static void resetConnectTimeout(MethodHandles.Lookup lookup, Object tracker) {
    if (tracker == null) {
      return;
    }
    try {
      PrivateCalls.call(lookup, tracker.getClass().getName(), "reset", void.class, new Class<?>[0], tracker);
    } catch (Throwable t) {
      JdkSessions.failed(t);
    }
  }
  private static void cancel(MethodHandles.Lookup lookup, Object stream, IOException failure) throws Throwable {
    PrivateCalls.call(lookup, STREAM, "cancelImpl", void.class, new Class<?>[] {Throwable.class}, stream, failure);
  }
  /** The stream an {@code OutgoingHeaders} frame belongs to (its attachment). */
  private static Object attachedStream(MethodHandles.Lookup lookup, Object outgoingHeaders) throws Throwable {
    return PrivateCalls.call(lookup, OUTGOING_HEADERS, "getAttachment", Object.class, new Class<?>[0], outgoingHeaders);
  }
  /** Cancels the stream of {@code outgoingHeaders}, before any of it is encoded, with a failure h2fix knows was never sent. */
  private static void cancelNeverSent(
      MethodHandles.Lookup lookup, Object outgoingHeaders, String what, Throwable connectionCause) throws Throwable {
    cancel(lookup, attachedStream(lookup, outgoingHeaders), neverSent(what, connectionCause));
  }
  private static IOException neverSent(String what, Throwable connectionCause) {
    IOException e = new IOException(what, connectionCause);
    NEVER_SENT.add(e);
    return e;
  }
  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    for (int i = 0; i < CAUSE_DEPTH && (t instanceof CompletionException || t instanceof ExecutionException); i++) {
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    return t;
  }
}
