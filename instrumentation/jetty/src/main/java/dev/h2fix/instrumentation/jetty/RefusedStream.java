package dev.h2fix.instrumentation.jetty;

import java.util.function.Consumer;
import org.eclipse.jetty.http2.HTTP2Session;

/**
 * Helper injected into Jetty's class loader: the failure callback {@code HTTP2Session$StreamsState}
 * passes to {@code reserveSlot} (for {@code newStream}: {@code promise::failed}), seen first by
 * h2fix. {@code reserveSlot} refuses a stream when it finds the session no longer NOT_CLOSED, under
 * Jetty's lock, and calls this after releasing it. The teardown step that switched the state may
 * still be on its way to the session listener and to h2fix's listeners on another thread; this
 * lets that step finish first (bounded), then hands the failure on, unchanged, to Jetty's
 * callback. Any other refusal (stream id or stream count exceeded, an invalid id) goes straight
 * through. Never throws; Jetty's callback is called exactly once.
 */
final class RefusedStream implements Consumer<Throwable> {
  private final HTTP2Session session;
  private final Consumer<Throwable> jetty;

  RefusedStream(HTTP2Session session, Consumer<Throwable> jetty) {
    this.session = session;
    this.jetty = jetty;
  }

  @Override
  public void accept(Throwable failure) {
    try {
      JettySessions.beforeStreamRefused(session, failure);
    } catch (Throwable t) {
      JettySessions.failed(t);
    }
    jetty.accept(failure);
  }
}
