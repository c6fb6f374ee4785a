package dev.h2fix.chaos.child;

import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/2 client driven by the chaos load. {@link #send} never throws: every failure completes
 * the future with a failed {@link Outcome}. A request is ok only with status 200 and the whole
 * response body.
 */
public interface Driver extends AutoCloseable {
  CompletableFuture<Outcome> send(ChildRequest request);

  /** False when the client has no notion of a body it cannot replay (the application owns the bytes). */
  default boolean oneShotBodies() {
    return true;
  }

  /** The h2fix client id whose counters this driver's client moves: okhttp, jetty or jdk. */
  String statsClient();

  @Override
  void close() throws Exception;
}
