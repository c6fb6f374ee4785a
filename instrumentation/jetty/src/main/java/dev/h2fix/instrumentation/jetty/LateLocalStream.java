package dev.h2fix.instrumentation.jetty;

import java.util.function.Consumer;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.frames.GoAwayFrame;

/**
 * Helper injected into Jetty's class loader: decides whether a client stream that reaches
 * {@code HTTP2Session.createLocalStream} arrived too late, after the peer's GOAWAY declared its id
 * unprocessed or after a failing teardown began (the session is then ending: its input is shut or
 * its connection failed), and if so refuses it the way {@code reserveSlot} refuses a stream of a
 * closing session. See {@link SessionInstrumentation.CreateLocalStreamAdvice} for the race.
 */
public final class LateLocalStream {
  private LateLocalStream() {}

  /**
   * True when the stream was refused: {@code failFn} has been called (once, with
   * IllegalStateException "session closed", after the session-level callbacks, see
   * {@link RefusedStream}) and Jetty must not create the stream. False when Jetty goes on as stock.
   * Never throws.
   */
  @SuppressWarnings("unchecked")
  public static boolean refuse(Object session, int streamId, Object failFn) {
    try {
      if (!(failFn instanceof Consumer) || !JettySessions.isClient(session) || !JettySessions.enabled()) {
        return false;
      }
      SessionRegistry state = SessionRegistry.peek(session);
      if (state == null) {
        return false;
      }
      GoAwayFrame goAway = state.goAwayReceived;
      boolean unprocessed = goAway != null && streamId > goAway.getLastStreamId();
      if (!unprocessed && !state.failing) {
        return false;
      }
    } catch (Throwable t) {
      JettySessions.failed(t);
      return false;
    }
    // From here the stream is refused whatever its callback does: Jetty must not also create it.
    try {
      new RefusedStream((HTTP2Session) session, (Consumer<Throwable>) failFn)
          .accept(new IllegalStateException("session closed"));
    } catch (Throwable t) {
      // The application's promise threw: swallowed, as advice never throws into the application.
    }
    return true;
  }
}
