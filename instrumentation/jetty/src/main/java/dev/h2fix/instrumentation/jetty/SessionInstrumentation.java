package dev.h2fix.instrumentation.jetty;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import net.bytebuddy.asm.Advice;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.util.Callback;

/**
 * Advice for {@code org.eclipse.jetty.http2.HTTP2Session}, shared by Jetty's client and server:
 * every helper returns at once for a server session. The session's state switch happens under
 * {@code StreamsState.lock}; every method advised here is called after that lock was released.
 */
final class SessionInstrumentation {
  static final String TYPE = "org.eclipse.jetty.http2.HTTP2Session";

  private SessionInstrumentation() {}

  /**
   * {@code notifyFailure(Session, Throwable, Callback)}: the first call-out of every failing
   * teardown (EOF, read failure, write failure, protocol error, idle timeout of a closing session).
   *
   * <p>Race closed: h2fix's InvalidationListeners (and, for HttpClient, the pool, see
   * {@link HttpClientInstrumentation}) hear of the death before the session listener's onFailure
   * lets HttpClient abort exchanges. Safe: reads only, no lock held, runs before the stock body.
   */
  static final class NotifyFailureAdvice {
    private NotifyFailureAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session, @Advice.Argument(1) Throwable failure) {
      JettySessions.onFailure(session, failure);
    }
  }

  /**
   * {@code notifyGoAway(Session, GoAwayFrame)}: called after the session switched to
   * REMOTELY_CLOSED or CLOSING and before the streams above the last-stream-id are failed.
   *
   * <p>Race closed: listeners learn the session takes no new stream before the refused streams'
   * callbacks run. Safe: records the frame (the early onClose carries it, as stock's would) and
   * invalidates; the stock body runs unchanged.
   */
  static final class NotifyGoAwayAdvice {
    private NotifyGoAwayAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session, @Advice.Argument(1) GoAwayFrame frame) {
      JettySessions.onGoAway(session, frame);
    }
  }

  /**
   * {@code failStreams(Predicate, int, String, Throwable, boolean, Callback)} (private): the one
   * place every teardown path (EOF/RST, write failure, protocol error, idle timeout including the
   * halt path that never calls onFailure, stop, GOAWAY) fails the streams, always after the session
   * became CLOSING or CLOSED.
   *
   * <p>Race closed: stock calls {@code Session.Listener.onClose} only from {@code terminate}, after
   * every stream callback, so a cache cleared in onClose still hands out the dead session inside
   * them. Here, when no stream outlives this call, the listener's onClose runs first, once
   * (HttpClient's own listener is left as stock: its pool removal is already first, and on 12.0 its
   * onClose aborts the exchanges, which would hide a GOAWAY refusal behind a ClosedChannelException).
   * When two teardown paths run on two threads (a failed write on the reader, the endpoint's close
   * stopping the session on a pool thread), the one that did not deliver onClose waits until it
   * returned before failing any stream. Safe: no lock is taken (the wait is a latch, bounded at
   * 200 ms, never on the delivering thread itself, and only while another thread runs onClose); the
   * stock body and its CountingCallback are untouched; Jetty's own close callback is later chained
   * to the one the listener completes (NotifyCloseAdvice), so Jetty's teardown still waits for the
   * listener.
   */
  static final class FailStreamsAdvice {
    private FailStreamsAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object session,
        @Advice.FieldValue("listener") Object listener,
        @Advice.FieldValue("lastRemoteStreamId") AtomicInteger lastRemoteStreamId,
        @Advice.Argument(0) Predicate<Stream> matcher,
        @Advice.Argument(1) int error,
        @Advice.Argument(2) String reason,
        @Advice.Argument(3) Throwable failure) {
      JettySessions.beforeFailStreams(session, listener, lastRemoteStreamId, matcher, error, reason, failure);
    }
  }

  /**
   * {@code createLocalStream(int streamId, MetaData.Request, Consumer<Throwable> failFn)}: where a
   * {@code newStream} puts its stream into the session's map, after {@code reserveSlot} found the
   * session NOT_CLOSED and counted the stream, and after the stream id was given to its frames.
   *
   * <p>Race closed: a stream never ended. When the peer's GOAWAY (and a FIN after it) was processed
   * between {@code reserveSlot} and this call, both of Jetty's failure passes missed the stream (not
   * in the map yet); stock then maps it and writes its HEADERS, which the peer drops (above its
   * last-stream-id), and no stream callback ever follows. The count it holds also keeps the session
   * CLOSING for good. Likewise after a FIN alone: the failure pass works on a copy of the map, and a
   * stream mapped after that copy is written to the dying connection, reported sent, then closed
   * without a response, so the application cannot tell it was never processed. Such a stream is
   * refused here instead, as {@code reserveSlot} refuses a stream of a closing session
   * ({@link RefusedStream}: session-level callbacks first, then {@code failFn} with "session
   * closed"); Jetty then frees its slot and the session terminates. Safe: nothing of the stream was
   * queued or written (its frames are appended after this returns), and the session can process
   * nothing more (its peer declared such ids unprocessed, or a failing teardown has begun); called
   * with no lock held (reserveSlot released it), none taken; {@code failFn} runs exactly once, and
   * the stock body is skipped only then.
   */
  static final class CreateLocalStreamAdvice {
    private CreateLocalStreamAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(
        @Advice.This Object session,
        @Advice.Argument(0) int streamId,
        @Advice.Argument(2) Object failFn) {
      return LateLocalStream.refuse(session, streamId, failFn);
    }
  }

  /**
   * {@code notifyClose(Session, GoAwayFrame, Callback)}, called only by {@code StreamsState.terminate}.
   *
   * <p>Race closed: onClose twice. When h2fix already delivered onClose, the stock body is skipped and
   * Jetty's callback completes as the listener completes the early one. Otherwise stock runs (and no
   * early delivery can follow). Safe: terminate's other steps (flusher, endpoint, lifecycle
   * listeners) are untouched; server sessions always run stock.
   */
  static final class NotifyCloseAdvice {
    private NotifyCloseAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.This Object session, @Advice.Argument(2) Callback callback) {
      return JettySessions.onNotifyClose(session, callback);
    }
  }

  /**
   * The {@code HTTP2Session} constructors: remember a client session's listener (weakly) for
   * {@link EntryCloseAndFailAdvice}, whose code runs in {@code HTTP2Session$Entry}. Safe: on exit,
   * after the stock constructor completed; one map entry per client session, weakly keyed.
   */
  static final class ConstructorAdvice {
    private ConstructorAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object session,
        @Advice.FieldValue("listener") Object listener,
        @Advice.FieldValue("lastRemoteStreamId") AtomicInteger lastRemoteStreamId) {
      JettySessions.onCreated(session, listener, lastRemoteStreamId);
    }
  }

  /**
   * {@code HTTP2Session$Entry.closeAndFail(Throwable)}: after a write failure the flusher fails its
   * queued entries, closing their streams, right after {@code onWriteFailure}, which does nothing
   * when another thread already switched the session to CLOSING (input shutdown racing the write).
   *
   * <p>Race closed: those streams' onClosed ran before that other thread delivered onClose (seen
   * with TLS and RST, 1 run in 200). Here the early onClose is delivered first when the session is
   * already CLOSING/CLOSED and no GOAWAY left survivors, or, if another thread is delivering it, after
   * that onClose returned (bounded wait, as in FailStreamsAdvice). Safe: the claim makes it once
   * only; no lock is held (the flusher calls this outside its lock); the entry's callbacks are untouched.
   *
   * <p>Second race closed: a request's HEADERS appended on a {@code newStream} thread while a write
   * failure on another thread has already terminated the flusher but not yet switched the session
   * (still NOT_CLOSED): failed here with the write's EofException before any listener heard of the
   * end. Such an entry now waits (bounded, 200 ms) for the write failure under way on the other
   * thread ({@code FlusherFailureAdvice}), then is ordered as above. Safe: only request HEADERS
   * (never on the wire), never on the failing thread itself, no lock taken or held (append and
   * prepend call this after releasing the flusher's lock).
   */
  static final class EntryCloseAndFailAdvice {
    private EntryCloseAndFailAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("stream") Object stream,
        @Advice.FieldValue("frame") Object frame,
        @Advice.Argument(0) Throwable failure) {
      JettySessions.beforeEntryFailed(stream, frame, failure);
    }
  }
}
