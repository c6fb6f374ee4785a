package dev.h2fix.instrumentation.jdk;

import dev.h2fix.runtime.JdkReroutes;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicReference;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Advice for {@code jdk.internal.net.http.MultiExchange} (Java 17 shape only). */
final class MultiExchangeInstrumentation {
  static final String TYPE = "jdk.internal.net.http.MultiExchange";

  private MultiExchangeInstrumentation() {}

  /**
   * 17, {@code getExceptionalCF(Throwable)}: decides whether a failed attempt is retried (null) or
   * surfaces. Stock retries only an expired connection, once, and only for GET/HEAD. Race closed: a
   * request h2fix cancelled because it was never sent (connection already closed or GOAWAY'd), or one
   * above a GOAWAY's last-stream-id (cancelled by h2fix's GOAWAY handling, or failed by the
   * connection's later shutdown), would surface. Safe: only failures h2fix itself made qualify
   * (identity), within the reroute bound (once for refused ones), never a cancelled or timed-out
   * request; the retry is stock's own (same bookkeeping as its expired-connection retry:
   * {@code previousreq = currentreq}, then {@code responseAsyncImpl} on a connection from the pool,
   * which no longer offers the closed one).
   */
  static final class RetryAdvice {
    private RetryAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(
        @Advice.This Object multiExchange,
        @Advice.Argument(0) Throwable failure,
        @Advice.FieldValue("cancelled") boolean cancelled,
        @Advice.FieldValue("interrupted") AtomicReference<?> interrupted,
        @Advice.FieldValue("connectTimeout") Object connectTimeout,
        @Advice.FieldValue("exchange") Object exchange,
        @Advice.FieldValue("currentreq") Object current,
        @Advice.FieldValue(value = "previousreq", readOnly = false, typing = Assigner.Typing.DYNAMIC) Object previous) {
      if (cancelled || interrupted.get() != null || !JdkReroutes.reroute(MethodHandles.lookup(), multiExchange, exchange, failure)) {
        return false;
      }
      JdkReroutes.resetConnectTimeout(MethodHandles.lookup(), connectTimeout);
      previous = current;
      return true;
    }
  }
}
