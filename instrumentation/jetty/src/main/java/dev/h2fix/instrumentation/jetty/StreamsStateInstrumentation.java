package dev.h2fix.instrumentation.jetty;

import java.util.function.Consumer;
import net.bytebuddy.asm.Advice;

/**
 * Advice for {@code org.eclipse.jetty.http2.HTTP2Session$StreamsState}, the session's close state
 * machine (shared by client and server: the helpers return at once for a server session). Each
 * teardown step switches {@code closed} under {@code StreamsState.lock}, releases the lock, and
 * then notifies the session listener; {@code reserveSlot} refuses a new stream, under the same
 * lock, as soon as the state is not NOT_CLOSED and fails its promise right after releasing it. So
 * a {@code newStream} on another thread could fail before the listener (and h2fix's listeners)
 * heard of the end, and an application retrying at once found the dead session still cached.
 */
final class StreamsStateInstrumentation {
  static final String TYPE = SessionInstrumentation.TYPE + "$StreamsState";
  static final String FLUSHER = "org.eclipse.jetty.http2.internal.HTTP2Flusher";

  private StreamsStateInstrumentation() {}

  /**
   * {@code onShutdown()}, {@code onWriteFailure(Throwable)}, {@code onGoAway(GoAwayFrame)},
   * {@code onSessionFailure(int, String, Callback)}, {@code onIdleTimeout()},
   * {@code halt(int, String, Throwable)}.
   *
   * <p>Race closed: marks the step under way before its state switch, so that a refused
   * {@code newStream} can wait for the step's listener calls ({@link ReserveSlotAdvice}). Safe: no
   * lock, one small object per teardown step (not per stream); the step runs unchanged; the mark is
   * cleared when it returns or throws.
   */
  static final class TeardownStepAdvice {
    private TeardownStepAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.FieldValue("this$0") Object session) {
      return JettySessions.beginTeardown(session);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object teardown) {
      JettySessions.endTeardown(teardown);
    }
  }

  /**
   * {@code reserveSlot(Slot, int, Consumer<Throwable> fail)} (private; newStream, priority).
   *
   * <p>Race closed: a stream refused because the session is closing failed before the teardown
   * step on another thread had told the session listener (onFailure/onGoAway, the early onClose)
   * and h2fix's listeners. Here {@code fail} is wrapped ({@link RefusedStream}): on such a refusal
   * it first lets that step finish (bounded wait, never on the step's own thread), then calls
   * Jetty's {@code fail} with the same failure. Safe: called outside Jetty's lock (reserveSlot
   * releases it first), no lock taken; Jetty's callback runs exactly once, on the same thread;
   * server sessions keep their own {@code fail}.
   */
  static final class ReserveSlotAdvice {
    private ReserveSlotAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("this$0") Object session,
        @Advice.Argument(value = 2, readOnly = false) Consumer<Throwable> fail) {
      fail = JettySessions.onReserveSlot(session, fail);
    }
  }

  /**
   * {@code HTTP2Flusher.onFailure(Throwable)} (12.1) / {@code onCompleteFailure(Throwable)} (12.0): a
   * write failed. Under the flusher's lock it stores the failure in {@code terminated}, releases the
   * lock, and only then calls {@code session.onWriteFailure} (the teardown step that switches the
   * session to CLOSING and tells the listeners). In between, a {@code newStream} on another thread
   * whose slot was reserved before the switch appends its HEADERS, finds {@code terminated} set and
   * fails them at once ({@code Entry.closeAndFail}, the promise fails with the write's
   * {@code EofException}) while the session is still NOT_CLOSED and cached.
   *
   * <p>Race closed: marks the failure under way as a teardown step before {@code terminated} is set
   * (the nested {@code onWriteFailure} links to it), so that {@code closeAndFail} of a request's
   * HEADERS on another thread can wait for it ({@link JettySessions#beforeEntryFailed}). Safe: no
   * lock, one small object per write failure; the method runs unchanged; cleared on exit or throw.
   * In 12.1 {@code onCompleteFailure} is marked too (it only releases a buffer): harmless.
   */
  static final class FlusherFailureAdvice {
    private FlusherFailureAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.FieldValue("session") Object session) {
      return JettySessions.beginTeardown(session);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object teardown) {
      JettySessions.endTeardown(teardown);
    }
  }
}
