package dev.h2fix.instrumentation.okhttp;

import net.bytebuddy.asm.Advice;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.Http2Connection;

/** Advice for {@code okhttp3.internal.http2.Http2Connection$ReaderRunnable}, the connection's reader. */
final class ReaderRunnableInstrumentation {
  static final String TYPE = "okhttp3.internal.http2.Http2Connection$ReaderRunnable";

  private ReaderRunnableInstrumentation() {}

  /**
   * {@code goAway(int, ErrorCode, ByteString)}: the one teardown that does not pass through
   * {@code close$okhttp}. Stock sets {@code isShutdown} and refuses the streams above the
   * last-stream-id, whose calls wake up, while the pool still holds the connection as healthy
   * until a call next tries it.
   *
   * <p>Race closed: a call issued from those callbacks could be handed the dead connection. Safe:
   * runs on entry on the reader thread, which holds no OkHttp monitor there; streams at or below
   * the last-stream-id are not touched and complete as stock.
   */
  static final class GoAwayAdvice {
    private GoAwayAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("this$0") Http2Connection connection, @Advice.Argument(1) ErrorCode code) {
      OkHttpSessions.onGoAway(connection, code);
    }
  }
}
