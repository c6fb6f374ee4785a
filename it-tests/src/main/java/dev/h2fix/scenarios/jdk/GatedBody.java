package dev.h2fix.scenarios.jdk;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A replayable POST body whose first {@code contentLength()} call waits (bounded) until the scenario
 * opens the gate. The JDK client asks for it in {@code Stream.sendHeadersAsync}, after the request
 * took a connection from the pool and before its HEADERS are registered: holding it there while the
 * connection dies makes "took the connection alive, registers the stream on it dead" deterministic.
 * A body built {@linkplain #open() open} does not wait; either way {@link #subscribed} tells that the
 * client sent the HEADERS of a stream and went on to the body.
 */
final class GatedBody implements HttpRequest.BodyPublisher {
  private final HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofByteArray(new byte[256]);
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch open = new CountDownLatch(1);
  /** Counts down when the client subscribes to the body: after it sent the stream's HEADERS. */
  final CountDownLatch subscribed = new CountDownLatch(1);

  /** A body whose {@code contentLength()} does not wait. */
  static GatedBody open() {
    GatedBody body = new GatedBody();
    body.entered.countDown();
    body.open.countDown();
    return body;
  }

  @Override
  public long contentLength() {
    if (entered.getCount() > 0) {
      entered.countDown();
      try {
        open.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return body.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    subscribed.countDown();
    body.subscribe(subscriber);
  }
}
