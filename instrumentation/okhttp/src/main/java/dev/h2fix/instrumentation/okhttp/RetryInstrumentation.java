package dev.h2fix.instrumentation.okhttp;

import net.bytebuddy.asm.Advice;

/** Advice for {@code okhttp3.internal.http.RetryAndFollowUpInterceptor}. */
final class RetryInstrumentation {
  static final String TYPE = "okhttp3.internal.http.RetryAndFollowUpInterceptor";

  private RetryInstrumentation() {}

  /**
   * {@code recover(IOException, RealCall, ...)}: stock declines every retry when
   * {@code retryOnConnectionFailure} is off, including requests it knows were never sent
   * ({@code ConnectionShutdownException}) and streams the server refused.
   *
   * <p>Race closed: a request that lost the race against a dying connection fails although none of
   * it reached the server. Safe: only the returned decision changes, so the retry is OkHttp's own
   * (same loop, same connection release and route choice, same EventListener events); only
   * provably unprocessed failures qualify, bounded per call (see {@link OkHttpReroutes}).
   */
  static final class RecoverAdvice {
    private RecoverAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return(readOnly = false) boolean retry, @Advice.AllArguments Object[] arguments) {
      retry = OkHttpReroutes.recover(retry, arguments);
    }
  }
}
