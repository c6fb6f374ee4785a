package dev.h2fix.instrumentation.jetty;

import net.bytebuddy.asm.Advice;

/**
 * Advice for Jetty's HttpClient over HTTP/2 ({@code HttpClientTransportOverHTTP2} and the h2/h2c
 * path of {@code HttpClientTransportDynamic}, which share {@code HTTPSessionListenerPromise} and
 * {@code HttpConnectionOverHTTP2}). Client code only: nothing here runs for a server.
 */
final class HttpClientInstrumentation {
  static final String CONNECTION = "org.eclipse.jetty.http2.client.transport.internal.HttpConnectionOverHTTP2";
  static final String STREAM_LISTENER =
      "org.eclipse.jetty.http2.client.transport.internal.HttpChannelOverHTTP2$Listener";
  static final String HEADERS_PROMISE =
      "org.eclipse.jetty.http2.client.transport.internal.HttpSenderOverHTTP2$HeadersPromise";
  static final String SESSION_LISTENER =
      "org.eclipse.jetty.http2.client.transport.internal.HTTPSessionListenerPromise";

  private HttpClientInstrumentation() {}

  /**
   * {@code HttpConnectionOverHTTP2.onFailure(Throwable, Callback)}, from the session listener's
   * onFailure (EOF, read or write failure, protocol error).
   *
   * <p>Race closed: stock aborts every exchange first (the application's Response listeners run,
   * and a request sent from them is handed the dying connection) and removes the connection from
   * the pool after. Here the connection leaves the pool first. Safe: the very call stock makes two
   * lines later, made earlier; no lock is held; the callback path is unchanged.
   */
  static final class OnFailureAdvice {
    private OnFailureAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object connection, @Advice.Argument(0) Throwable failure) {
      JettyConnections.beforeAbort(connection, failure);
    }
  }

  /**
   * {@code HTTPSessionListenerPromise.onClose(Session, GoAwayFrame, Callback)}: the session's end,
   * also on the paths without onFailure (idle timeout, stop) where 12.0 then calls
   * {@code connection.close()}, which aborts the exchanges before removing the connection.
   *
   * <p>Race closed: same as above, for the close paths. Safe: the same public removal, earlier; the
   * stock body then finds the connection removed (a second removal does nothing).
   */
  static final class OnCloseAdvice {
    private OnCloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("connection") Object connectionReference) {
      JettyConnections.beforeSessionClose(connectionReference);
    }
  }

  /**
   * {@code HttpConnectionOverHTTP2.send(HttpExchange)}: the exchange is about to get a channel and
   * open a stream on this connection's session.
   *
   * <p>Race closed: a session that closed after the pool handed the connection out refuses the
   * stream ("session closed" / ClosedChannelException) and the request fails although not a byte of
   * it was sent. Here such an exchange is queued again (to a fresh connection) before anything is
   * associated, sent or notified, within {@code reroute.maxAttempts}. Safe: skipping the body makes
   * {@code send} return null (accepted), so the dead connection is never released or closed by
   * {@code process} (its other exchanges are left alone); no lock is held at entry.
   */
  static final class SendAdvice {
    private SendAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.This Object connection, @Advice.Argument(0) Object exchange) {
      return JettyConnections.rerouteIfSessionClosed(connection, exchange);
    }
  }

  /**
   * {@code HttpChannelOverHTTP2$Listener.onFailure(Stream, int, String, Throwable, Callback)}: a
   * stream of an exchange fails; for a stream above a GOAWAY's last-stream-id the failure is a
   * {@code RetryableStreamException}, which Jetty wraps and hands to the application.
   *
   * <p>Race closed: a request racing a GOAWAY fails although the server provably did not process
   * it. Here, once per conversation and only when its body can be replayed, it is sent again (see
   * {@link GoAwayReplay}). Safe: runs before the stock body, which is unchanged (the exchange is
   * aborted as stock, its callbacks complete as stock); only the conversation's response listeners
   * are swapped, with Jetty's public API, as its redirector does.
   */
  static final class StreamFailureAdvice {
    private StreamFailureAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(3) Throwable failure) {
      GoAwayReplay.onStreamFailure(channel, failure);
    }
  }

  /**
   * {@code HttpChannelOverHTTP2$Listener.onReset(Stream, ResetFrame, Callback)}: the server reset a
   * stream of an exchange; Jetty aborts the request with {@code IOException("refused_stream_error")}
   * for {@code REFUSED_STREAM}.
   *
   * <p>Race closed: a request the server refused before processing it (RFC 9113 §8.7; e.g. too many
   * streams, or a server shutting down) reaches the application as a failure. Here, once per
   * conversation and only when its body can be replayed, it is sent again on a new connection (see
   * {@link GoAwayReplay#onStreamReset}). Safe: runs before the stock body, which is unchanged; only
   * REFUSED_STREAM, and only before any response began.
   */
  static final class StreamResetAdvice {
    private StreamResetAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("this$0") Object channel, @Advice.Argument(1) Object frame) {
      GoAwayReplay.onStreamReset(channel, frame);
    }
  }

  /**
   * {@code HttpSenderOverHTTP2$HeadersPromise.failed(Throwable)}: opening the request's stream failed.
   *
   * <p>Race closed: the residue of {@link SendAdvice}: the session closes (a GOAWAY) between the
   * check in {@code send} and {@code reserveSlot}, which refuses the stream with "session closed"
   * before any id or byte; stock fails the request. Here it is sent again (see
   * {@link GoAwayReplay#onStreamNotCreated}). Safe: that failure proves no stream was created; the
   * stock body (the abort) runs unchanged; one-shot bodies, whose first chunk was already read, are
   * declined and fail as stock.
   */
  static final class StreamNotCreatedAdvice {
    private StreamNotCreatedAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("request") Object request, @Advice.Argument(0) Throwable failure) {
      GoAwayReplay.onStreamNotCreated(request, failure);
    }
  }
}
