package dev.h2fix.instrumentation.okhttp;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixConfig;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.runtime.RerouteBudget;
import dev.h2fix.runtime.Stats;
import java.io.IOException;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.internal.connection.RealCall;
import okhttp3.internal.connection.RealConnection;
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;

/**
 * Helper injected into OkHttp's class loader: decides whether a failure that
 * {@code RetryAndFollowUpInterceptor.recover} declined is one the server provably never processed,
 * and so may be sent again, whatever {@code retryOnConnectionFailure} says. Never throws.
 *
 * <p>Provably unprocessed:
 * <ul>
 *   <li>{@link ConnectionShutdownException}: thrown by {@code Http2Connection.newStream} before a
 *       stream id is allocated or a byte is written (or by h2fix's own refusal at the same point);
 *   <li>{@code REFUSED_STREAM}, from the server or for a stream above a GOAWAY's last-stream-id: the
 *       server did not process it (RFC 9113 §8.7). Replayed at most once, on another connection,
 *       and only when the body can be sent again (no body, or not one-shot and not duplex).
 * </ul>
 * Anything else (broken pipe or reset while writing, a reset after the server may have read the
 * request) surfaces exactly as stock.
 */
public final class OkHttpReroutes {
  private static final int REFUSED_REPLAYS = 1;

  private OkHttpReroutes() {}

  /**
   * @param stockDecision what {@code recover} returned
   * @param arguments all of {@code recover}'s arguments (its descriptor differs across versions)
   * @return the decision to use
   */
  public static boolean recover(boolean stockDecision, Object[] arguments) {
    if (stockDecision) {
      return true;
    }
    try {
      return reroute(arguments);
    } catch (Throwable t) {
      OkHttpSessions.failed(t);
      return false;
    }
  }

  private static boolean reroute(Object[] arguments) {
    IOException failure = (IOException) arguments[0];
    RealCall call = (RealCall) arguments[1];
    if (call.isCanceled()) {
      return false;
    }
    H2FixConfig config = H2FixRuntime.config();
    int budget;
    if (failure instanceof ConnectionShutdownException) {
      budget = config.rerouteMaxAttempts();
    } else if (isRefused(failure) && config.rerouteRefusedStreams()) {
      if (!isReplayable(requestOf(arguments))) {
        Stats.increment(Client.OKHTTP, Event.REPLAYS_DECLINED_UNSAFE);
        return false;
      }
      budget = Math.min(REFUSED_REPLAYS, config.rerouteMaxAttempts());
      if (RerouteBudget.used(call) >= budget) {
        return false;
      }
      // The replay goes to another connection: OkHttp would otherwise reuse the refusing one, or
      // (one route, connection still usable) not retry at all.
      RealConnection refusing = call.getConnection();
      if (refusing != null) {
        OkHttpSessions.retire(refusing);
      }
    } else {
      return false;
    }
    // OkHttp's own test that a fresh route or connection exists; without it the retry would fail
    // with "exhausted all routes".
    if (!call.retryAfterFailure()) {
      H2FixLog.debug("okhttp: not rerouting " + failure.getClass().getName() + ": OkHttp has no route to retry on");
      return false;
    }
    if (!RerouteBudget.tryAcquire(call, budget)) {
      H2FixLog.debug("okhttp: not rerouting " + failure.getClass().getName() + ": reroute bound reached");
      return false;
    }
    Stats.increment(Client.OKHTTP, Event.REQUESTS_REROUTED);
    H2FixLog.debug("okhttp: rerouting a request that never reached the server (" + failure.getClass().getName() + ")");
    return true;
  }

  private static boolean isRefused(IOException failure) {
    return failure instanceof StreamResetException
        && ((StreamResetException) failure).errorCode == ErrorCode.REFUSED_STREAM;
  }

  private static Request requestOf(Object[] arguments) {
    for (Object a : arguments) {
      if (a instanceof Request) {
        return (Request) a;
      }
    }
    return null;
  }

  private static boolean isReplayable(Request request) {
    if (request == null) {
      return false;
    }
    RequestBody body = request.body();
    return body == null || (!body.isOneShot() && !body.isDuplex());
  }
}
