package dev.h2fix.instrumentation.okhttp;

import java.io.IOException;
import net.bytebuddy.asm.Advice;
import okhttp3.internal.connection.RealConnection;

/** Advice for {@code okhttp3.internal.connection.RealConnection}. */
final class RealConnectionInstrumentation {
  static final String TYPE = "okhttp3.internal.connection.RealConnection";

  private RealConnectionInstrumentation() {}

  /**
   * {@code trackFailure(RealCall, IOException)} (4.12: {@code trackFailure$okhttp}): after a
   * GOAWAY or a teardown, every stream refused on the dying connection counts against its route;
   * from the second refusal on (or at once on a connection that had no success yet) OkHttp finds
   * no route to retry, and a request the server never processed fails even though h2fix would
   * send it again.
   *
   * <p>Race closed: requests refused by a GOAWAY on a fresh connection fail for good. Safe: skipped
   * only for a ConnectionShutdownException or REFUSED_STREAM on a connection h2fix already retired
   * ({@code noNewExchanges} is set), so nothing the method would do to the connection is lost but
   * the route accounting; every other failure is tracked as stock.
   */
  static final class TrackFailureAdvice {
    private TrackFailureAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.This RealConnection connection, @Advice.Argument(1) IOException failure) {
      return OkHttpSessions.isRetirementFailure(connection, failure);
    }
  }
}
