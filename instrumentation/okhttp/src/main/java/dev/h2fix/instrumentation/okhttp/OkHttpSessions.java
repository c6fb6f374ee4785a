package dev.h2fix.instrumentation.okhttp;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.InvalidatedSession;
import dev.h2fix.runtime.InvalidatedSession.Reason;
import dev.h2fix.runtime.Invalidations;
import dev.h2fix.runtime.Retirements;
import dev.h2fix.runtime.Stats;
import java.io.IOException;
import java.net.Socket;
import okhttp3.Route;
import okhttp3.internal.connection.RealConnection;
import okhttp3.internal.connection.RealConnectionPool;
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.Http2Connection;
import okhttp3.internal.http2.StreamResetException;

/**
 * Helper injected into OkHttp's class loader: invalidates a dying client HTTP/2 connection, before
 * any of its streams is failed. Called from the advice in {@link Http2ConnectionInstrumentation} and
 * {@link ReaderRunnableInstrumentation}. Never throws.
 *
 * <p>What "invalidated" means here, all before the first {@code Http2Stream} wakes an application
 * thread:
 * <ol>
 *   <li>the {@link RealConnection} takes no new exchanges ({@code noNewExchanges}; on 5.x the
 *       pool's {@code ConnectionListener.noNewExchanges} fires, once);
 *   <li>the pool lets go of it: an idle connection is evicted now (4.12) or by the pool's own
 *       cleanup task, which is scheduled now and closes it with stock code (5.x); a busy one is
 *       evicted by stock code when its last call releases it, which happens after the failing
 *       stream wakes its call and before that call's callback runs;
 *   <li>h2fix's {@code InvalidationListener}s run, once.
 * </ol>
 *
 * <p>Locking: the only monitor taken is the {@code RealConnection}'s, which is what OkHttp's own
 * {@code noNewExchanges()} and {@code trackFailure} take from any thread. OkHttp never holds that
 * monitor while waiting for an {@code Http2Connection}, {@code Http2Writer} or {@code Http2Stream}
 * monitor (health checks run outside it), so the reader-thread order introduced here cannot close a
 * cycle. Inside it: field reads and writes, and on 4.12 {@code connectionBecameIdle}, which stock
 * calls under that same monitor.
 */
public final class OkHttpSessions {
  private static final long ONE_YEAR_NANOS = 365L * 24 * 3600 * 1_000_000_000L;

  /** 5.x has a ConnectionListener and a pool closer task; 4.12 has neither. Decided once per class loader. */
  private static final boolean OKHTTP5 = hasMethod(RealConnectionPool.class, "scheduleCloser");

  private OkHttpSessions() {}

  /** {@code Http2Connection.close$okhttp(connectionCode, streamCode, cause)} is about to run. */
  public static void onTeardown(Http2Connection connection, ErrorCode connectionCode, IOException cause) {
    try {
      invalidate(connection, reasonOf(connectionCode, cause), cause == null ? null : cause.getClass().getName());
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** The peer sent GOAWAY: streams above {@code lastGoodStreamId} are about to be refused. */
  public static void onGoAway(Http2Connection connection, ErrorCode errorCode) {
    try {
      invalidate(connection, Reason.GOAWAY, "GOAWAY " + errorCode.name());
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** A client connection h2fix already invalidated: opening a stream on it would write to a dead socket. */
  public static boolean isInvalidatedClient(Http2Connection connection) {
    return connection.getClient$okhttp() && Invalidations.isInvalidated(connection);
  }

  /** {@code newStream} failed with a ConnectionShutdownException: OkHttp shut the connection down itself. */
  public static void onShutdownSeen(Http2Connection connection) {
    try {
      invalidate(connection, Reason.LOCAL_CLOSE, null);
    } catch (Throwable t) {
      failed(t);
    }
  }

  private static void invalidate(Http2Connection connection, Reason reason, String causeType) {
    if (!connection.getClient$okhttp()) {
      return; // server connections (MockWebServer) stay stock
    }
    if (!(connection.getListener$okhttp() instanceof RealConnection)) {
      return;
    }
    RealConnection realConnection = (RealConnection) connection.getListener$okhttp();
    // The pool steps run inside the session's one claim: a racing second teardown path (e.g. the
    // writer's failure racing the reader's EOF) waits, bounded, until they and the listeners are
    // done, so that neither path fails a stream while the connection still looks usable.
    Invalidations.invalidate(connection, new TakeOutOfService(realConnection, reason, causeType));
  }

  /** The pool steps, as a named class: a JVM's first lambda bootstraps method handles, milliseconds on the reader thread. */
  private static final class TakeOutOfService implements java.util.function.Supplier<InvalidatedSession> {
    private final RealConnection realConnection;
    private final Reason reason;
    private final String causeType;

    TakeOutOfService(RealConnection realConnection, Reason reason, String causeType) {
      this.realConnection = realConnection;
      this.reason = reason;
      this.causeType = causeType;
    }

    @Override
    public InvalidatedSession get() {
      return takeOutOfService(realConnection, reason, causeType);
    }
  }

  /** The first teardown path: the connection takes no new exchanges and leaves the pool. */
  private static InvalidatedSession takeOutOfService(RealConnection realConnection, Reason reason, String causeType) {
    Retirements.retire(realConnection);
    boolean first;
    boolean idle;
    boolean removed = false;
    synchronized (realConnection) {
      first = !realConnection.getNoNewExchanges();
      idle = realConnection.getCalls().isEmpty();
      if (first && idle && OKHTTP5) {
        // Old enough for the pool's next cleanup run to close it (with its own connectionClosed event).
        realConnection.setIdleAtNs(System.nanoTime() - ONE_YEAR_NANOS);
      }
      realConnection.setNoNewExchanges(true);
      if (first && idle && !OKHTTP5) {
        removed = realConnection.getConnectionPool().connectionBecameIdle(realConnection);
      }
    }
    if (first && OKHTTP5) {
      realConnection.getConnectionListener$okhttp().noNewExchanges(realConnection);
      if (idle) {
        realConnection.getConnectionPool().scheduleCloser();
      }
    }
    if (removed) {
      closeQuietly(realConnection.socket());
    }
    if (!first) {
      // OkHttp had already retired it (pool eviction, a failed call): the socket was closed locally.
      reason = Reason.LOCAL_CLOSE;
    }
    Route route = realConnection.route();
    return new InvalidatedSession(
        Client.OKHTTP, route.address().url().host(), route.address().url().port(), reason, causeType);
  }

  /** Maps close$okhttp's arguments to a reason, as its callers in Http2Connection use them. */
  private static Reason reasonOf(ErrorCode connectionCode, IOException cause) {
    if (cause == null) {
      // NO_ERROR: clean EOF from the peer; PROTOCOL_ERROR without a cause: the ping timed out.
      return connectionCode == ErrorCode.NO_ERROR ? Reason.PEER_CLOSED : Reason.TIMEOUT;
    }
    if (cause.getClass() == IOException.class) {
      return Reason.PROTOCOL_ERROR; // Http2Reader and Hpack throw plain IOExceptions for protocol errors
    }
    return Reason.IO_FAILURE;
  }

  /**
   * Retires a healthy connection after the server refused a stream on it, so that the one replay
   * goes to another connection (OkHttp issue #6700: "such retries should be on a different
   * connection"). Its other streams go on; the pool evicts it once idle. Called on the
   * application thread from {@code recover}, where OkHttp holds no monitor; takes the
   * {@code RealConnection}'s, as OkHttp's own {@code trackFailure} does at that point.
   */
  static void retire(RealConnection realConnection) {
    Retirements.retire(realConnection);
    boolean first;
    synchronized (realConnection) {
      first = !realConnection.getNoNewExchanges();
      realConnection.setNoNewExchanges(true);
    }
    if (first && OKHTTP5) {
      realConnection.getConnectionListener$okhttp().noNewExchanges(realConnection);
    }
  }

  /**
   * Whether {@code RealConnection.trackFailure} should be skipped: the failure is a stream refused,
   * or refused to be opened, because h2fix had already retired the connection. Stock would count it
   * against the connection's route ({@code routeFailureCount}, and the route database on a
   * connection with no success yet), which leaves OkHttp with no route to retry on and turns a
   * never-sent request into a failure. The connection is already out of service, so the only thing
   * skipped is that accounting; any other failure is tracked as stock.
   */
  public static boolean isRetirementFailure(RealConnection realConnection, IOException failure) {
    boolean neverProcessed = failure instanceof ConnectionShutdownException
        || (failure instanceof StreamResetException
            && ((StreamResetException) failure).errorCode == ErrorCode.REFUSED_STREAM);
    return neverProcessed && Retirements.isRetired(realConnection);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (Throwable ignored) {
      // closing a dying socket: nothing to report
    }
  }

  private static boolean hasMethod(Class<?> type, String name) {
    for (java.lang.reflect.Method m : type.getMethods()) {
      if (m.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  static void failed(Throwable t) {
    Stats.increment(Client.OKHTTP, Event.ADVICE_FAILURES);
    H2FixLog.warnOnce(
        "okhttp-advice:" + t.getClass().getName(),
        "OkHttp advice failed with " + t.getClass().getName() + "; the connection was left to stock OkHttp");
  }
}
