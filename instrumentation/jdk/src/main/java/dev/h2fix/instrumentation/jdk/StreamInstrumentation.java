package dev.h2fix.instrumentation.jdk;

import dev.h2fix.runtime.JdkReroutes;
import java.lang.invoke.MethodHandles;
import net.bytebuddy.asm.Advice;

/** Advice for {@code jdk.internal.net.http.Stream} (Java 17 shape only). */
final class StreamInstrumentation {
  static final String TYPE = "jdk.internal.net.http.Stream";

  private StreamInstrumentation() {}

  /**
   * 17, {@code handleReset(ResetFrame, Subscriber)}: the server reset an open stream. With
   * REFUSED_STREAM the server says it did not process it at all (RFC 9113 §8.7); Java 25 marks such
   * a stream "unprocessed by peer" and its client retries it, 17 fails the request. Race closed: a
   * request refused unprocessed (by a server shedding load, or one that is shutting down) surfaces
   * as an {@code IOException} although it could go to a fresh stream. Recorded on entry, because
   * stock fails the request from inside this method and the retry decision may run on this very
   * thread before it returns. Safe: the stream is only recorded (weakly), when still open (stock
   * ignores a reset of a closed stream; one closed concurrently was refused all the same), the retry is
   * {@link MultiExchangeInstrumentation.RetryAdvice}'s, once, under {@code reroute.refusedStreams},
   * as for a stream above a GOAWAY's last-stream-id. No lock taken; stock's own code runs unchanged.
   */
  static final class RefusedResetAdvice17 {
    private RefusedResetAdvice17() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object stream, @Advice.Argument(0) Object resetFrame, @Advice.FieldValue("closed") boolean closed) {
      if (!closed) {
        JdkReroutes.onReset(MethodHandles.lookup(), stream, resetFrame);
      }
    }
  }
}
