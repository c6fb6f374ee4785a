package dev.h2fix.instrumentation.jdk;

import dev.h2fix.runtime.JdkGoAways;
import dev.h2fix.runtime.JdkPeerClose;
import dev.h2fix.runtime.JdkReroutes;
import dev.h2fix.runtime.JdkSessions;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.asm.Advice;

/**
 * Advice for {@code jdk.internal.net.http.Http2Connection} (client only: the JDK has no HTTP/2
 * server). Library types are taken as {@code Object}: the package is not exported, so the advice
 * cannot name them; library methods are called through {@code MethodHandles.lookup()}, which, inlined
 * here, is a lookup of {@code Http2Connection} itself (see {@link dev.h2fix.runtime.PrivateCalls}).
 */
final class Http2ConnectionInstrumentation {
  static final String TYPE = "jdk.internal.net.http.Http2Connection";
  /** {@code Http2Connection.SHUTDOWN_REQUESTED} on 25 (a bit of {@code closedState}). */
  static final int SHUTDOWN_REQUESTED = 4;

  private Http2ConnectionInstrumentation() {}

  /**
   * {@code shutdown(Throwable)}: the funnel of every teardown (EOF, read or write failure, protocol
   * error, idle close; on 17 also a GOAWAY that leaves no stream, or that h2fix left as stock).
   * Stock removes the connection from the pool and then fails each stream; h2fix's listeners were
   * never told. Race closed: a listener that clears a cache of its own learns of the death only
   * after (or never) the stream callbacks ran. Safe: on entry, no
   * lock held, {@link JdkSessions#onShutdown} reports each connection once and never throws.
   */
  static final class ShutdownAdvice {
    private ShutdownAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object connection, @Advice.FieldValue("key") String key, @Advice.Argument(0) Throwable cause) {
      JdkSessions.onShutdown(connection, key, cause);
    }
  }

  /**
   * 25, {@code shutdown(Throwable)}: as {@link ShutdownAdvice}, and, when the connection had received
   * a GOAWAY, the streams above its last-stream-id are marked unprocessed by the peer before stock
   * fails them. Race closed: stock marks them on the executor ({@code closeAsUnprocessed}); when the
   * server closes the connection first, they fail with {@code EOFException} and are not retried
   * (seen 1 in 6 rounds stock). Safe: those streams provably were not processed (RFC 9113 §6.8),
   * stock itself marks them so a moment later; no lock.
   */
  static final class ShutdownAdvice25 {
    private ShutdownAdvice25() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object connection,
        @Advice.FieldValue("key") String key,
        @Advice.FieldValue("lastProcessedStreamInGoAway") AtomicLong lastProcessed,
        @Advice.FieldValue("streams") Map<Integer, ?> streams,
        @Advice.Argument(0) Throwable cause) {
      JdkSessions.onShutdown(connection, key, cause);
      JdkReroutes.markAboveGoAwayUnprocessed(MethodHandles.lookup(), lastProcessed, streams);
    }
  }

  /**
   * 25, {@code handleGoAway(GoAwayFrame)}: stock marks the connection final and closes the streams
   * above the last-stream-id as unprocessed (the client retries them); the listeners are told here,
   * before those closes run on the executor. Safe: reader thread, no lock, once per connection.
   */
  static final class GoAwayAdvice {
    private GoAwayAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object connection, @Advice.FieldValue("key") String key) {
      JdkSessions.onGoAway(connection, key);
    }
  }

  /**
   * 17, {@code handleGoAway(GoAwayFrame)}: stock calls {@code shutdown}, which fails every stream
   * with one "GOAWAY received" failure, those the server will still answer and those above the
   * last-stream-id it never processed (JDK-8335181). h2fix tells the listeners first, then handles
   * the GOAWAY as RFC 9113 §6.8 says ({@link JdkGoAways#handle}): the connection takes no new
   * stream and leaves the pool, the streams above the last-stream-id fail with a failure
   * {@link MultiExchangeInstrumentation.RetryAdvice} sends again once, those at or below complete,
   * and the library's own final-stream mark closes the connection after the last one. Stock's body
   * is skipped only when that was done; otherwise (already shut down, or any step failed) stock
   * runs. Safe: reader thread, the locks stock's shutdown takes here plus the send lock, in the
   * library's own order (see {@link JdkGoAways#handle}); nothing blocks or throws.
   */
  static final class GoAwayAdvice17 {
    private GoAwayAdvice17() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(
        @Advice.This Object connection,
        @Advice.FieldValue("key") String key,
        @Advice.FieldValue("closed") boolean closed,
        @Advice.FieldValue("sendlock") Object sendlock,
        @Advice.FieldValue("client2") Object client2,
        @Advice.FieldValue("connection") Object httpConnection,
        @Advice.FieldValue("streams") Map<Integer, ?> streams,
        @Advice.Argument(0) Object goAwayFrame) {
      JdkSessions.onGoAway(connection, key);
      return !closed
          && JdkGoAways.handle(MethodHandles.lookup(), connection, goAwayFrame, sendlock, client2, httpConnection, streams);
    }
  }

  /**
   * 25, {@code registerNewStream(OutgoingHeaders)}: when the connection is already shutting down,
   * stock cancels the stream with the connection's own failure ({@code EOFException}, broken pipe),
   * indistinguishable from a request the server processed, and the client does not retry it. Its
   * HEADERS were never encoded. h2fix marks it unprocessed by the peer first, so the client's own
   * retry ({@code MultiExchange}, once per request) sends it on a fresh connection. Safe: the state
   * only moves towards shut down, so when this read sees it, stock's check under the connection's
   * monitor sees it too and never sends the stream; no lock is taken.
   *
   * <p>Second race: the socket has already read the peer's close (FIN or reset) but the reader has
   * not shut the connection down yet (one or two hand-offs to the executor away), so stock would
   * register the stream and write its HEADERS into the dead socket; the request then fails with
   * the connection's error. h2fix marks it unprocessed and cancels it before it has an id (stock's
   * body is skipped and returns null, as stock does for a stream it cancels here). Safe: nothing of
   * the stream was encoded; the socket's finished state ({@link JdkPeerClose}: volatile reads) only
   * goes one way; the cancel is stock's own, under the send lock stock holds here too.
   */
  static final class RegisterNewStreamAdvice25 {
    private RegisterNewStreamAdvice25() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(
        @Advice.FieldValue("closedState") int closedState,
        @Advice.FieldValue("connection") Object httpConnection,
        @Advice.Argument(0) Object headers) {
      if ((closedState & SHUTDOWN_REQUESTED) != 0) {
        JdkReroutes.markUnsentUnprocessed(MethodHandles.lookup(), headers);
        return false; // stock cancels it
      }
      return JdkPeerClose.closedByPeer(MethodHandles.lookup(), httpConnection)
          && JdkReroutes.refusePeerClosed25(MethodHandles.lookup(), headers);
    }
  }

  /**
   * 25, {@code tryReserveForPoolCheckout()}: the pool's check ({@code isOpen()}: not marked for
   * shutdown and the channel open) passes for a connection whose socket has already read the peer's
   * close while its reader has yet to shut it down. Race closed: a new request is handed that dead
   * connection (and, refused at registration, its retry would be handed it again). h2fix answers
   * false then, as stock does for a closing connection: the pool removes it and opens a new one.
   * Safe: on exit, under the pool lock the caller holds, no other lock, no I/O (volatile reads);
   * stock's only side effect, cancelling the idle-close timer, is harmless to a connection whose
   * reader is about to shut it down.
   */
  static final class PoolCheckoutAdvice25 {
    private PoolCheckoutAdvice25() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.FieldValue("connection") Object httpConnection,
        @Advice.Return(readOnly = false) boolean reserved) {
      if (reserved && JdkPeerClose.closedByPeer(MethodHandles.lookup(), httpConnection)) {
        reserved = false;
      }
    }
  }

  /**
   * 17, {@code registerNewStream(OutgoingHeaders)}: stock does not look at the connection's state.
   * A stream registered after {@code shutdown} has failed the others is never failed, and its
   * HEADERS go to a closed connection: without a timeout the request hangs. Likewise a stream
   * registered after a GOAWAY ({@link GoAwayAdvice17}; stock looks at the final-stream mark only
   * when reserving) would be sent above the last-stream-id. Race closed: when the connection is
   * already closed, or marked final by a GOAWAY, h2fix cancels the stream before anything of it is
   * encoded, with a failure it knows was never sent (rerouted by
   * {@link MultiExchangeInstrumentation.RetryAdvice}), and stock's body is skipped (it returns null,
   * as stock does for a cancelled stream). When it closes while stock registers, the stream is
   * failed like its siblings (not rerouted: its HEADERS may be out). Likewise when the socket has
   * already read the peer's close but the reader has not shut the connection down yet
   * ({@link JdkPeerClose}): refused as never sent instead of written into the dead socket. Safe:
   * under the send lock stock already holds, no other lock (the GOAWAY mark is written under that
   * same lock, so the plain read of {@code finalStream} sees it; the socket's state is volatile and
   * only goes one way); cancelling is idempotent in {@code Stream}.
   */
  static final class RegisterNewStreamAdvice17 {
    private RegisterNewStreamAdvice17() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(
        @Advice.This Object connection,
        @Advice.FieldValue("closed") boolean closed,
        @Advice.FieldValue("finalStream") boolean finalStream,
        @Advice.FieldValue("cause") AtomicReference<Throwable> cause,
        @Advice.FieldValue("connection") Object httpConnection,
        @Advice.Argument(0) Object headers) {
      if (closed) {
        return JdkReroutes.refuseUnsent(MethodHandles.lookup(), headers, cause.get());
      }
      if (finalStream && JdkReroutes.refuseAfterGoAway(MethodHandles.lookup(), connection, headers)) {
        return true;
      }
      return JdkPeerClose.closedByPeer(MethodHandles.lookup(), httpConnection)
          && JdkReroutes.refusePeerClosed17(MethodHandles.lookup(), headers);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.Enter boolean refused,
        @Advice.FieldValue("closed") boolean closed,
        @Advice.FieldValue("cause") AtomicReference<Throwable> cause,
        @Advice.Return Object stream) {
      if (!refused && closed && stream != null) {
        JdkReroutes.failOrphan(MethodHandles.lookup(), stream, cause.get());
      }
    }
  }

  /**
   * 17, {@code reserveStream(boolean, boolean)}: the pool ({@code Http2ClientImpl.getConnectionFor})
   * hands out a pooled connection unless it is {@code closed} or this refuses; neither knows that
   * the socket has already read the peer's close while the reader has yet to shut the connection
   * down. Race closed: a new request gets the dead connection (and, refused at registration, its
   * reroute would get it again). h2fix refuses the reservation then, as stock does for a connection
   * marked final (its first check, before anything is counted): the pool deletes it and opens a new
   * one. Only for a client stream on a connection that already had one ({@code
   * lastReservedClientStreamid > 1}), i.e. a pooled one: a new connection's first reservation (after
   * {@code createAsync}, or the h2c upgrade's) is stock's. Safe: in the connection's monitor stock
   * holds, no other lock, no I/O (volatile reads); nothing counted, nothing changed.
   */
  static final class ReserveStreamAdvice17 {
    private ReserveStreamAdvice17() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(
        @Advice.Argument(0) boolean clientInitiated,
        @Advice.FieldValue("lastReservedClientStreamid") int lastReserved,
        @Advice.FieldValue("connection") Object httpConnection) {
      return clientInitiated && lastReserved > 1 && JdkPeerClose.closedByPeer(MethodHandles.lookup(), httpConnection);
    }
  }
}
