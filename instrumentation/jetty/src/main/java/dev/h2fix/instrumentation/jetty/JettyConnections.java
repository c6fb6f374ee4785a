package dev.h2fix.instrumentation.jetty;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.runtime.InvalidatedSession;
import dev.h2fix.runtime.InvalidatedSession.Reason;
import dev.h2fix.runtime.Invalidations;
import dev.h2fix.runtime.RerouteBudget;
import dev.h2fix.runtime.Stats;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicMarkableReference;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.eclipse.jetty.client.transport.HttpExchange;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.client.transport.internal.HttpConnectionOverHTTP2;

/**
 * Helper injected into the class loader of Jetty's HttpClient HTTP/2 transport: takes a dying
 * connection out of its destination's pool before HttpClient aborts its exchanges, and re-queues a
 * request that was about to open a stream on a session already closed. Called from the advice in
 * {@link HttpClientInstrumentation}; never throws.
 *
 * <p>Pool removal is the public {@code HttpDestination.remove(Connection)}, the call stock makes a
 * few lines later from the same places ({@code HttpConnectionOverHTTP2.remove()}); it marks the pool
 * entry removed so that no request can acquire the connection any more. A second call (stock's) is
 * harmless. No Jetty lock is held at these call sites.
 */
public final class JettyConnections {
  private JettyConnections() {}

  private static boolean enabled() {
    return H2FixRuntime.config().isEnabled(Client.JETTY);
  }

  /** {@code HttpConnectionOverHTTP2.onFailure}: stock aborts every exchange, then removes. */
  public static void beforeAbort(Object connection, Throwable failure) {
    try {
      if (enabled() && connection instanceof HttpConnectionOverHTTP2) {
        leavePool((HttpConnectionOverHTTP2) connection, Reason.IO_FAILURE, failure);
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  /**
   * {@code HTTPSessionListenerPromise.onClose(Session, GoAwayFrame, Callback)}: 12.0 then closes the
   * connection (aborting its exchanges), 12.1 closes and removes it.
   */
  public static void beforeSessionClose(Object connectionReference) {
    try {
      if (enabled() && connectionReference instanceof AtomicMarkableReference) {
        Object connection = ((AtomicMarkableReference<?>) connectionReference).getReference();
        if (connection instanceof HttpConnectionOverHTTP2) {
          leavePool((HttpConnectionOverHTTP2) connection, Reason.LOCAL_CLOSE, null);
        }
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  private static void leavePool(HttpConnectionOverHTTP2 connection, Reason reason, Throwable cause) {
    if (connection.isClosed()) {
      return; // already aborted and removed by stock
    }
    invalidate(connection.getSession(), reason, cause);
    connection.getHttpDestination().remove(connection);
  }

  /**
   * {@code HttpConnectionOverHTTP2.send(HttpExchange)}, from {@code HttpDestination.process} with the
   * connection acquired from the pool: if the session is already closed, the stream would be refused
   * in {@code reserveSlot} and the request failed although nothing of it was sent. Instead: take the
   * connection out of the pool and queue the exchange again, as stock does for a closed connection.
   * True when h2fix did so (the stock body is then skipped and {@code send} returns null).
   */
  public static boolean rerouteIfSessionClosed(Object connection, Object exchange) {
    try {
      if (!enabled() || !(connection instanceof HttpConnectionOverHTTP2) || !(exchange instanceof HttpExchange)) {
        return false;
      }
      HttpConnectionOverHTTP2 h2 = (HttpConnectionOverHTTP2) connection;
      HttpExchange httpExchange = (HttpExchange) exchange;
      Session session = h2.getSession();
      if (session == null || !session.isClosed() || h2.isClosed()) {
        return false; // open session: stock; closed connection: stock's own retry=true path
      }
      HttpDestination destination = h2.getHttpDestination();
      if (!destination.getConnectionPool().isActive(h2)) {
        return false; // not acquired from the pool (explicitly acquired connection): the caller's choice
      }
      if (httpExchange.getRequest().getAbortCause() != null) {
        return false;
      }
      if (!RerouteBudget.tryAcquire(httpExchange, H2FixRuntime.config().rerouteMaxAttempts())) {
        return false; // over the bound: fails as stock
      }
      invalidate(session, Reason.LOCAL_CLOSE, null);
      destination.remove(h2);
      Stats.increment(Client.JETTY, Event.REQUESTS_REROUTED);
      httpExchange.getHttpDestination().send(httpExchange);
      return true;
    } catch (Throwable t) {
      failed(t);
      return false;
    }
  }

  static void invalidate(Session session, Reason reason, Throwable cause) {
    if (session == null) {
      return;
    }
    String host = null;
    int port = -1;
    SocketAddress remote = session.getRemoteSocketAddress();
    if (remote instanceof InetSocketAddress) {
      host = ((InetSocketAddress) remote).getHostString();
      port = ((InetSocketAddress) remote).getPort();
    }
    Invalidations.invalidate(
        session, new InvalidatedSession(Client.JETTY, host, port, reason, cause == null ? null : cause.getClass().getName()));
  }

  static void failed(Throwable t) {
    Stats.increment(Client.JETTY, Event.ADVICE_FAILURES);
    H2FixLog.warnOnce(
        "jetty-advice:" + t.getClass().getName(),
        "Jetty advice failed with " + t.getClass().getName() + "; the connection was left to stock Jetty");
  }
}
