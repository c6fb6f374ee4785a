package dev.h2fix.instrumentation.jetty;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.runtime.InvalidatedSession;
import dev.h2fix.runtime.InvalidatedSession.Reason;
import dev.h2fix.runtime.Invalidations;
import dev.h2fix.runtime.Stats;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.RetryableStreamException;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.util.Callback;

/**
 * Helper injected into the class loader of Jetty's {@code HTTP2Session} (http2-common): invalidation
 * first for client sessions. Called from the advice in {@link SessionInstrumentation}; never throws.
 *
 * <p>Stock Jetty, on every teardown path, fails the session's streams first
 * ({@code Stream.Listener.onClosed}, {@code onFailure}) and only afterwards, from
 * {@code StreamsState.terminate}, calls {@code Session.Listener.onClose}. h2fix moves two things in
 * front of the first stream callback: its own {@code InvalidationListener}s (and the pool removal of
 * HttpClient, see {@link JettyConnections}), and the session listener's {@code onClose} itself, once,
 * whenever no stream of the session outlives the teardown. Jetty's own close callback is chained to
 * the early one ({@link EarlyClose}), so the rest of Jetty's teardown still waits for the listener.
 *
 * <p>Only client sessions: the class is shared with Jetty's server ({@code HTTP2ServerSession}),
 * whose sessions return after one cached class check.
 */
public final class JettySessions {
  private static final String CLIENT_SESSION = "org.eclipse.jetty.http2.client.internal.HTTP2ClientSession";

  private static final ClassValue<Boolean> IS_CLIENT =
      new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          // By name: http2-common must not need to see http2-client (JPMS, OSGi).
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(CLIENT_SESSION)) {
              return Boolean.TRUE;
            }
          }
          return Boolean.FALSE;
        }
      };

  private static final String HTTP_CLIENT_LISTENER =
      "org.eclipse.jetty.http2.client.transport.internal.HTTPSessionListenerPromise";

  /** Whether a Session.Listener is HttpClient's (by name: http2-common cannot see the transport). */
  private static final ClassValue<Boolean> IS_HTTP_CLIENT =
      new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(HTTP_CLIENT_LISTENER)) {
              return Boolean.TRUE;
            }
          }
          return Boolean.FALSE;
        }
      };

  private JettySessions() {}

  static boolean isClient(Object session) {
    return session != null && IS_CLIENT.get(session.getClass());
  }

  static boolean enabled() {
    return H2FixRuntime.config().isEnabled(Client.JETTY);
  }

  /** A client session was built: remember its listener for {@link #beforeEntryFailed}. */
  public static void onCreated(Object session, Object listener, AtomicInteger lastRemoteStreamId) {
    try {
      if (isClient(session)) {
        SessionRegistry state = SessionRegistry.of(session);
        state.listener = new java.lang.ref.WeakReference<>(listener);
        state.lastRemoteStreamId = new java.lang.ref.WeakReference<>(lastRemoteStreamId);
        state.remoteAddress = ((HTTP2Session) session).getRemoteSocketAddress();
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  /**
   * {@code HTTP2Session$Entry.closeAndFail(Throwable)}: a queued frame of {@code stream} is failed,
   * which closes the stream ({@code Stream.Listener.onClosed}) and fails its write callback. After a
   * write failure the flusher does this right after {@code onWriteFailure}, which returns at once
   * when another thread already switched the session to CLOSING (an input shutdown racing the
   * write): then these stream callbacks would run before that thread reaches failStreams. And a
   * request's HEADERS appended while a write failure on another thread has terminated the flusher
   * but not yet switched the session ({@code frame} tells them apart) first waits for that step.
   */
  public static void beforeEntryFailed(Object stream, Object frame, Throwable failure) {
    try {
      if (!(stream instanceof Stream) || !enabled()) {
        return;
      }
      Session s = ((Stream) stream).getSession();
      if (!isClient(s)) {
        return;
      }
      HTTP2Session session = (HTTP2Session) s;
      if (!isClosing(session)) {
        // A write failure on another thread terminated the flusher and is on its way to switch
        // the session (FlusherFailureAdvice marked it): a request whose HEADERS never got on the
        // wire fails only after that step told the listeners. Bounded; skipped on its own thread.
        if (!isRequestHeaders(frame)) {
          return;
        }
        SessionRegistry registry = SessionRegistry.peek(session);
        Teardown teardown = registry == null ? null : registry.teardown.get();
        if (teardown == null) {
          return;
        }
        teardown.awaitAll();
        if (!isClosing(session)) {
          return;
        }
      }
      invalidate(session, reasonOf(null, failure), failure);
      SessionRegistry state = SessionRegistry.of(session);
      awaitEarlyClose(state);
      if (state.goAwayReceived != null) {
        return; // streams below the GOAWAY's last-stream-id may go on: onClose stays after them
      }
      Object listener = state.listener == null ? null : state.listener.get();
      AtomicInteger lastRemote = state.lastRemoteStreamId == null ? null : state.lastRemoteStreamId.get();
      deliverEarlyClose(session, state, listener, lastRemote, ErrorCode.NO_ERROR.code, "write_failure");
    } catch (Throwable t) {
      failed(t);
    }
  }

  private static boolean isClosing(HTTP2Session session) {
    org.eclipse.jetty.http2.CloseState closeState = session.getCloseState();
    return closeState == org.eclipse.jetty.http2.CloseState.CLOSING
        || closeState == org.eclipse.jetty.http2.CloseState.CLOSED;
  }

  /** The HEADERS that open a request's stream ({@code newStream}): nothing of the stream was sent. */
  private static boolean isRequestHeaders(Object frame) {
    if (!(frame instanceof org.eclipse.jetty.http2.frames.HeadersFrame)) {
      return false;
    }
    org.eclipse.jetty.http.MetaData metaData = ((org.eclipse.jetty.http2.frames.HeadersFrame) frame).getMetaData();
    return metaData != null && metaData.isRequest();
  }

  /**
   * Enter of a teardown step of {@code HTTP2Session$StreamsState} (onShutdown, onWriteFailure,
   * onGoAway, onSessionFailure, onIdleTimeout, halt), before it takes Jetty's lock to switch the
   * close state: records the step, so that a {@code newStream} refused after the switch waits for
   * it ({@link #beforeStreamRefused}). Returns the record to close on exit, or null (not a client
   * session). A step that begins while another is under way (on another thread, or nested on this
   * one) links to it, so a waiter waits for both.
   */
  public static Object beginTeardown(Object session) {
    try {
      if (!isClient(session) || !enabled()) {
        return null;
      }
      SessionRegistry state = SessionRegistry.of(session);
      while (true) {
        Teardown current = state.teardown.get();
        Teardown mine = new Teardown(current);
        if (state.teardown.compareAndSet(current, mine)) {
          return mine;
        }
      }
    } catch (Throwable t) {
      failed(t);
      return null;
    }
  }

  /** Exit of that step: a refused {@code newStream} waiting for it goes on. */
  public static void endTeardown(Object teardown) {
    if (teardown instanceof Teardown) {
      ((Teardown) teardown).finished();
    }
  }

  /**
   * Enter of {@code HTTP2Session$StreamsState.reserveSlot(slot, streamId, fail)}: for a client
   * session, {@code fail} is seen by h2fix first ({@link RefusedStream}); else returned as is.
   */
  @SuppressWarnings("unchecked")
  public static java.util.function.Consumer<Throwable> onReserveSlot(Object session, Object fail) {
    try {
      if (fail instanceof java.util.function.Consumer && isClient(session) && enabled()) {
        return new RefusedStream((HTTP2Session) session, (java.util.function.Consumer<Throwable>) fail);
      }
    } catch (Throwable t) {
      failed(t);
    }
    return (java.util.function.Consumer<Throwable>) fail;
  }

  /**
   * {@code reserveSlot} refused a stream (its failure callback is about to run). When the refusal is
   * the session's end (the state was no longer NOT_CLOSED: the session's failure, or "session
   * closed" after a GOAWAY or a local close), the session-level callbacks come first: the teardown
   * step that switched the state on another thread is let finish (its onFailure/onGoAway and the
   * early onClose), then h2fix's listeners are told (or their telling awaited), then a racing
   * early onClose awaited. Every wait is bounded; none on the thread that tears the session down.
   */
  static void beforeStreamRefused(HTTP2Session session, Throwable failure) {
    if (!isSessionEnd(failure)) {
      return;
    }
    SessionRegistry state = SessionRegistry.of(session);
    Teardown teardown = state.teardown.get();
    if (teardown != null) {
      teardown.awaitAll();
    }
    Reason reason;
    if (isSessionClosed(failure)) {
      reason = state.goAwayReceived != null ? Reason.GOAWAY : Reason.LOCAL_CLOSE;
    } else {
      reason = reasonOf(null, failure);
    }
    invalidate(session, reason, failure);
    awaitEarlyClose(state);
  }

  /**
   * Whether {@code reserveSlot} refused because the session is no longer NOT_CLOSED (its recorded
   * failure, or "session closed"), not for a stream id or count (12.0.36 and 12.1.14 alike:
   * IllegalArgumentException "invalid stream id", IllegalStateException "max stream id exceeded" /
   * "max total streams exceeded").
   */
  private static boolean isSessionEnd(Throwable failure) {
    if (failure instanceof IllegalArgumentException) {
      return false;
    }
    if (failure != null && failure.getClass() == IllegalStateException.class) {
      String message = failure.getMessage();
      return message == null || !message.startsWith("max ");
    }
    return true;
  }

  private static boolean isSessionClosed(Throwable failure) {
    return failure != null && failure.getClass() == IllegalStateException.class
        && "session closed".equals(failure.getMessage());
  }

  /** {@code HTTP2Session.notifyFailure}: the first thing every failing teardown path does. */
  public static void onFailure(Object session, Throwable failure) {
    try {
      if (isClient(session) && enabled()) {
        SessionRegistry.of(session).failing = true;
        invalidate((HTTP2Session) session, reasonOf(null, failure), failure);
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** {@code HTTP2Session.notifyGoAway}: the peer sent GOAWAY; no new stream may go on this session. */
  public static void onGoAway(Object session, GoAwayFrame frame) {
    try {
      if (isClient(session) && enabled()) {
        SessionRegistry.of(session).goAwayReceived = frame;
        invalidate((HTTP2Session) session, Reason.GOAWAY, null);
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  /**
   * {@code HTTP2Session.failStreams(matcher, error, reason, failure, reset, callback)} is about to
   * fail the streams that {@code matcher} accepts. Every caller has already switched the session to
   * CLOSING or CLOSED, so the session is dead; if no stream survives this call, its end is decided
   * too and {@code onClose} is delivered now, before any stream callback.
   */
  public static void beforeFailStreams(
      Object session,
      Object listener,
      AtomicInteger lastRemoteStreamId,
      Predicate<Stream> matcher,
      int error,
      String reason,
      Throwable failure) {
    try {
      if (!isClient(session) || !enabled()) {
        return;
      }
      HTTP2Session http2Session = (HTTP2Session) session;
      invalidate(http2Session, reasonOf(reason, failure), failure);
      awaitEarlyClose(SessionRegistry.of(session));
      if (!(listener instanceof Session.Listener) || hasSurvivors(http2Session, matcher)) {
        return; // streams below a GOAWAY's last-stream-id go on: onClose stays after them, as stock
      }
      deliverEarlyClose(
          http2Session, SessionRegistry.of(session), listener, lastRemoteStreamId, errorOfFrame(error, reason), reason);
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** Delivers the listener's onClose now, unless it was already claimed (delivered, or left to stock). */
  private static void deliverEarlyClose(
      HTTP2Session session,
      SessionRegistry state,
      Object listener,
      AtomicInteger lastRemoteStreamId,
      int error,
      String reason) {
    if (!(listener instanceof Session.Listener) || IS_HTTP_CLIENT.get(listener.getClass())) {
      // HttpClient's own session listener: its pool removal is already first (onFailure, onGoAway
      // advice and stock), and on 12.0 its onClose closes the connection, which would abort the
      // exchanges with ClosedChannelException before their streams fail with the real cause
      // (RetryableStreamException for a GOAWAY-refused stream, which h2fix replays). Left as stock.
      return;
    }
    EarlyClose early = new EarlyClose();
    if (!state.closeClaim.compareAndSet(null, early)) {
      awaitEarlyClose(state); // claimed by a racing path on another thread: let its onClose return first
      return; // onClose already delivered, or stock delivers it
    }
    state.early = early;
    // The frame stock's terminate would pass: the peer's GOAWAY on the paths that use it (the
    // GOAWAY's own failStreams, halt on stop or idle timeout), else one built for the reason
    // (input shutdown and write failure always build their own, even after a GOAWAY).
    boolean peerFrame = reason == null || reason.equals("stop") || reason.equals("idle_timeout");
    GoAwayFrame frame = peerFrame ? state.goAwayReceived : null;
    if (frame == null) {
      frame = newGoAwayFrame(lastRemoteStreamId, error, reason);
    }
    early.frame = frame;
    try {
      ((Session.Listener) listener).onClose(session, frame, early);
    } catch (Throwable x) {
      // As stock notifyClose: a throwing listener is logged and its callback left alone.
      H2FixLog.debug("Session.Listener.onClose threw " + x.getClass().getName());
    } finally {
      early.deliveredNow();
    }
  }

  /**
   * Two teardown paths of one session on two threads (e.g. a failed write on the reader, and the
   * endpoint's close stopping the session on a pool thread, {@code doStop → halt}): the one that
   * did not deliver onClose is about to fail streams. Before it does, the onClose under way on the
   * other thread must have returned. Bounded, see {@link EarlyClose#awaitDelivered}.
   */
  private static void awaitEarlyClose(SessionRegistry state) {
    // The claim itself, not state.early: the delivering thread publishes its EarlyClose with the
    // claim's compare-and-set and records state.early only afterwards; a path that read state.early
    // in between saw null and failed its streams while onClose ran (seen: 1 upload cut in 150).
    Object claim = state.closeClaim.get();
    EarlyClose early = claim instanceof EarlyClose ? (EarlyClose) claim : state.early;
    if (early != null) {
      early.awaitDelivered();
    }
  }

  /**
   * {@code HTTP2Session.notifyClose(session, frame, callback)} from {@code StreamsState.terminate}:
   * true to skip the stock body because the listener already had its onClose (then Jetty's callback
   * is completed with the listener's outcome); false to let stock deliver it, now claimed.
   */
  public static boolean onNotifyClose(Object session, Callback callback) {
    boolean skip = false;
    try {
      if (!isClient(session)) {
        return false;
      }
      SessionRegistry state = SessionRegistry.of(session);
      if (enabled()) {
        // A teardown without failed streams (local close, graceful GOAWAY drained): still first.
        invalidate((HTTP2Session) session, state.goAwayReceived != null ? Reason.GOAWAY : Reason.LOCAL_CLOSE, null);
      }
      while (true) {
        Object claim = state.closeClaim.get();
        if (claim == null) {
          if (state.closeClaim.compareAndSet(null, SessionRegistry.DELIVERED)) {
            return false; // stock delivers onClose, now and only now
          }
        } else if (claim instanceof EarlyClose) {
          state.early = (EarlyClose) claim; // kept for awaitEarlyClose once the claim says DELIVERED
          if (state.closeClaim.compareAndSet(claim, SessionRegistry.DELIVERED)) {
            skip = true;
            ((EarlyClose) claim).onStockClose(callback);
            return true;
          }
        } else {
          // A second terminate of the same session (stock races the input-shutdown teardown with
          // SessionContainer's stop() → halt): stock would call onClose twice. Once is enough; the
          // duplicate's callback completes as the listener had nothing more to do.
          skip = true;
          H2FixLog.debug("second notifyClose of a client session: onClose not delivered twice");
          callback.succeeded();
          return true;
        }
      }
    } catch (Throwable t) {
      failed(t);
      return skip;
    }
  }

  /** Whether a stream of the session stays open after {@code failStreams(matcher, ...)}. */
  private static boolean hasSurvivors(HTTP2Session session, Predicate<Stream> matcher) {
    for (Stream stream : session.getStreams()) {
      if (!stream.isClosed() && !matcher.test(stream)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reports the session dead. Called again by every racing teardown path: the runtime then makes
   * that path wait (bounded) until the first one has told every listener.
   */
  static void invalidate(HTTP2Session session, Reason reason, Throwable cause) {
    String host = null;
    int port = -1;
    SocketAddress remote = session.getRemoteSocketAddress();
    if (!(remote instanceof InetSocketAddress)) {
      SessionRegistry state = SessionRegistry.peek(session);
      remote = state == null ? null : state.remoteAddress;
    }
    if (remote instanceof InetSocketAddress) {
      host = ((InetSocketAddress) remote).getHostString();
      port = ((InetSocketAddress) remote).getPort();
    }
    Invalidations.invalidate(
        session, new InvalidatedSession(Client.JETTY, host, port, reason, cause == null ? null : cause.getClass().getName()));
  }

  /** failStreams' reason, as its callers in HTTP2Session$StreamsState pass it. */
  private static Reason reasonOf(String reason, Throwable failure) {
    if (failure instanceof RetryableStreamException) {
      return Reason.GOAWAY;
    }
    if (reason == null) {
      if (failure instanceof java.util.concurrent.TimeoutException) {
        return Reason.TIMEOUT;
      }
      if (failure instanceof java.nio.channels.ClosedChannelException) {
        return Reason.PEER_CLOSED;
      }
      return failure instanceof java.io.IOException ? Reason.IO_FAILURE : Reason.PROTOCOL_ERROR;
    }
    switch (reason) {
      case "input_shutdown":
        return Reason.PEER_CLOSED; // EOF and a read failure (RST) both end as input shutdown
      case "write_failure":
        return Reason.IO_FAILURE;
      case "idle_timeout":
        return Reason.TIMEOUT;
      case "stop":
      case "close":
        return Reason.LOCAL_CLOSE;
      default:
        return Reason.PROTOCOL_ERROR;
    }
  }

  /** The error of the GOAWAY frame stock's terminate passes to onClose for that failStreams reason. */
  private static int errorOfFrame(int error, String reason) {
    if (reason == null) {
      return error;
    }
    switch (reason) {
      case "input_shutdown":
      case "write_failure":
      case "idle_timeout":
      case "stop":
        return ErrorCode.NO_ERROR.code;
      default:
        return error; // a session failure (protocol error) closes with its own error code
    }
  }

  /** As HTTP2Session.newGoAwayFrame (private): last remote stream id, error, reason up to 32 chars. */
  private static GoAwayFrame newGoAwayFrame(AtomicInteger lastRemoteStreamId, int error, String reason) {
    byte[] payload = null;
    if (reason != null) {
      payload = reason.substring(0, Math.min(reason.length(), 32)).getBytes(StandardCharsets.UTF_8);
    }
    return new GoAwayFrame(lastRemoteStreamId == null ? 0 : lastRemoteStreamId.get(), error, payload);
  }

  static void failed(Throwable t) {
    Stats.increment(Client.JETTY, Event.ADVICE_FAILURES);
    H2FixLog.warnOnce(
        "jetty-advice:" + t.getClass().getName(),
        "Jetty advice failed with " + t.getClass().getName() + "; the session was left to stock Jetty");
  }
}
