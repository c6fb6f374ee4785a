package dev.h2fix.runtime;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * Helper of the JDK client module, Java 17 only: a GOAWAY handled the way RFC 9113 §6.8 (and Java
 * 25) handles it, instead of 17.0.15's {@code handleGoAway}, which shuts the whole connection down
 * and fails every stream (JDK-8335181). With the library's own members, called by name with
 * {@code Http2Connection}'s lookup: the connection is marked final ({@code setFinalStream}, the mark
 * 17 itself sets when it runs out of stream ids), so the pool never hands it out again and, when
 * its last stream closes, {@code closeStream} closes it ({@code close()}: a GOAWAY of its own; the
 * server then closes the socket). Never throws into the client.
 */
public final class JdkGoAways {
  private static final String CONNECTION = "jdk.internal.net.http.Http2Connection";
  private static final String CLIENT = "jdk.internal.net.http.Http2ClientImpl";
  private static final String HTTP_CONNECTION = "jdk.internal.net.http.HttpConnection";
  private static final String STREAM = "jdk.internal.net.http.Stream";
  private static final String GOAWAY_FRAME = "jdk.internal.net.http.frame.GoAwayFrame";
  private static final Class<?>[] NONE = new Class<?>[0];

  private JdkGoAways() {}

  /**
   * {@code handleGoAway(GoAwayFrame)}, on the reader thread, for a connection not yet shut down.
   * True if handled (the advice then skips stock's shutdown); false leaves stock as it is, which
   * still reroutes the streams above the last-stream-id when their failure reaches
   * {@link JdkReroutes#reroute}.
   *
   * <ol>
   *   <li>The last-stream-id is recorded (the lowest of all the connection's GOAWAYs).
   *   <li>{@code setFinalStream()} under the send lock: a registration ({@code registerNewStream},
   *       under that lock) either finished before, and its stream is seen in step 4, or comes after
   *       and sees the mark ({@link JdkReroutes#refuseAfterGoAway}: refused, never sent).
   *   <li>{@code client2.deleteConnection(this)}: out of the pool, as stock's {@code shutdown} does
   *       first; a retry below gets a new connection.
   *   <li>Each stream the client opened above the last-stream-id is cancelled with one failure
   *       h2fix records as this GOAWAY's ({@code Stream.cancelImpl}, as stock's shutdown cancels
   *       it): {@link JdkReroutes#reroute} sends it again, once. Those at or below go on.
   *   <li>No stream left: stock's {@code shutdown} with that failure, as stock would have.
   * </ol>
   *
   * Locks: the send lock, then the connection's monitor inside it (the order stock's own
   * {@code registerNewStream} takes them), then the client's pool monitor alone, then what stock's
   * shutdown takes on this same thread for the same streams. Nothing blocks beyond that.
   */
  public static boolean handle(
      MethodHandles.Lookup lookup,
      Object connection,
      Object goAwayFrame,
      Object sendlock,
      Object client2,
      Object httpConnection,
      Map<Integer, ?> streams) {
    int last;
    IOException failure;
    try {
      int frameLast = (Integer) PrivateCalls.call(lookup, GOAWAY_FRAME, "getLastStream", int.class, NONE, goAwayFrame);
      last = JdkSessions.goAwayReceived(connection, frameLast);
      if (sendlock == null || sendlock.getClass() != Object.class || client2 == null || streams == null) {
        return false; // not the monitor 17.0.15 registers streams under: stock
      }
      // Stock's own failure, message and all, for a request the reroute then declines.
      SocketChannel channel =
          (SocketChannel) PrivateCalls.call(lookup, HTTP_CONNECTION, "channel", SocketChannel.class, NONE, httpConnection);
      failure = new IOException(channel.getLocalAddress() + ": GOAWAY received");
      JdkSessions.goAwayFailure(failure, last);
    } catch (Throwable t) {
      JdkSessions.failed(t);
      return false;
    }
    try {
      synchronized (sendlock) {
        PrivateCalls.call(lookup, CONNECTION, "setFinalStream", void.class, NONE, connection);
      }
      PrivateCalls.call(lookup, CLIENT, "deleteConnection", void.class,
          new Class<?>[] {PrivateCalls.type(lookup, CONNECTION)}, client2, connection);
      for (Map.Entry<Integer, ?> e : streams.entrySet()) {
        int id = e.getKey();
        if ((id & 1) == 1 && id > last) {
          PrivateCalls.call(lookup, STREAM, "cancelImpl", void.class, new Class<?>[] {Throwable.class}, e.getValue(), failure);
        }
      }
      if (streams.isEmpty()) {
        PrivateCalls.call(lookup, CONNECTION, "shutdown", void.class, new Class<?>[] {Throwable.class}, connection, failure);
      }
      return true;
    } catch (Throwable t) {
      // Half done: stock's shutdown finishes the job (every step above is idempotent to it).
      JdkSessions.failed(t);
      return false;
    }
  }
}
