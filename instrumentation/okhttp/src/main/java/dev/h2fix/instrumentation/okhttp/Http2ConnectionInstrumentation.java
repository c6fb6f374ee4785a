package dev.h2fix.instrumentation.okhttp;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.Http2Connection;
import okhttp3.internal.http2.Http2Stream;

/** Advice for {@code okhttp3.internal.http2.Http2Connection}. */
final class Http2ConnectionInstrumentation {
  static final String TYPE = "okhttp3.internal.http2.Http2Connection";

  private Http2ConnectionInstrumentation() {}

  /**
   * {@code close$okhttp(ErrorCode, ErrorCode, IOException)}: the funnel of every teardown but GOAWAY
   * (EOF, read failure or RST, protocol error, ping timeout, write failure, local close). Stock
   * sets {@code isShutdown} and then fails every stream, waking the calls, while the
   * {@code RealConnection} and its pool have been told nothing.
   *
   * <p>Race closed: the pool and listeners learn of the death only after the calls' callbacks ran
   * (if ever). Safe: runs on entry, before {@code shutdown()} takes the writer monitor, so nothing
   * of the stock sequence moves; server connections return after one field read.
   */
  static final class TeardownAdvice {
    private TeardownAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Http2Connection connection,
        @Advice.Argument(0) ErrorCode connectionCode,
        @Advice.Argument(2) IOException cause) {
      OkHttpSessions.onTeardown(connection, connectionCode, cause);
    }
  }

  /**
   * {@code newStream(List, boolean)}: once h2fix has invalidated the connection, and before OkHttp
   * sets {@code isShutdown}, a new stream would still write its HEADERS to a socket known to be
   * dead, and fail ambiguously. Instead it fails the way stock fails a stream on a shut-down
   * connection: {@link ConnectionShutdownException}, before any lock is taken or byte written, which
   * {@code recover} knows was never sent. A CSE from stock (ids exhausted, local shutdown) also
   * invalidates the connection.
   */
  static final class NewStreamAdvice {
    private NewStreamAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.This Http2Connection connection) {
      return OkHttpSessions.isInvalidatedClient(connection);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.This Http2Connection connection,
        @Advice.Enter boolean refused,
        @Advice.Return(readOnly = false) Http2Stream stream,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (refused) {
        stream = null;
        thrown = new ConnectionShutdownException();
      } else if (thrown instanceof ConnectionShutdownException) {
        OkHttpSessions.onShutdownSeen(connection);
      }
    }
  }
}
