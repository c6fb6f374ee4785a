package dev.h2fix.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Helper of the JDK client module: has the socket under an HTTP/2 connection already read the
 * peer's close (EOF) or failed? The JDK learns it on the selector thread ({@code SocketTube}'s read
 * loop sets its read subscription's {@code completed} and passes the completion on), but acts on it
 * only after one or two hand-offs to the client's executor (over TLS the {@code SSLFlowDelegate}
 * reader, then {@code Http2Connection$Http2TubeSubscriber.processQueue}, then {@code shutdown}).
 * Until then the pool ({@code closed} on 17, {@code isOpen()} on 25) sees a live connection.
 *
 * <p>This reads {@code SocketTube.isFinished()} (two volatile fields, no lock, no I/O), reached from
 * {@code Http2Connection.connection} through {@code HttpConnection.getConnectionFlow()} and, over
 * TLS, the {@code SSLTube}'s {@code tube}. The state only ever goes from open to finished. Handles
 * are resolved once, with {@code Http2Connection}'s own lookup (the SSLTube field with
 * {@code privateLookupIn}, same module: nothing is opened). Never throws into the client: if they
 * cannot be resolved, the answer is always false (stock), and that is counted once.
 */
public final class JdkPeerClose {
  private static final String HTTP_CONNECTION = "jdk.internal.net.http.HttpConnection";
  private static final String FLOW_TUBE = "jdk.internal.net.http.common.FlowTube";
  private static final String SSL_TUBE = "jdk.internal.net.http.common.SSLTube";
  /** An SSLTube over an SSLTube does not occur in the JDK; bounded anyway. */
  private static final int MAX_WRAPPERS = 4;

  private static volatile Handles handles;

  private JdkPeerClose() {}

  /**
   * True if the transport under {@code httpConnection} (an {@code HttpConnection}) has read EOF or
   * failed. Called with {@code Http2Connection}'s lookup.
   */
  public static boolean closedByPeer(MethodHandles.Lookup lookup, Object httpConnection) {
    if (httpConnection == null) {
      return false;
    }
    Handles h = handles;
    if (h == null) {
      h = resolve(lookup);
    }
    if (h == Handles.UNAVAILABLE) {
      return false;
    }
    try {
      Object flow = (Object) h.flow.invokeExact(httpConnection);
      for (int i = 0; i < MAX_WRAPPERS && flow != null && h.sslTube.isInstance(flow); i++) {
        flow = (Object) h.tube.invokeExact(flow);
      }
      return flow != null && (boolean) h.finished.invokeExact(flow);
    } catch (Throwable t) {
      JdkSessions.failed(t);
      return false;
    }
  }

  /** First use only; threads racing here resolve the same handles (no lock: the last write wins). */
  private static Handles resolve(MethodHandles.Lookup lookup) {
    Handles resolved;
    try {
      Class<?> httpConnection = PrivateCalls.type(lookup, HTTP_CONNECTION);
      Class<?> flowTube = PrivateCalls.type(lookup, FLOW_TUBE);
      Class<?> sslTube = PrivateCalls.type(lookup, SSL_TUBE);
      MethodHandle flow = lookup.findVirtual(httpConnection, "getConnectionFlow", MethodType.methodType(flowTube))
          .asType(MethodType.methodType(Object.class, Object.class));
      MethodHandle tube = MethodHandles.privateLookupIn(sslTube, lookup).findGetter(sslTube, "tube", flowTube)
          .asType(MethodType.methodType(Object.class, Object.class));
      MethodHandle finished = lookup.findVirtual(flowTube, "isFinished", MethodType.methodType(boolean.class))
          .asType(MethodType.methodType(boolean.class, Object.class));
      resolved = new Handles(flow, tube, finished, sslTube);
    } catch (Throwable t) {
      JdkSessions.failed(t);
      resolved = Handles.UNAVAILABLE;
    }
    handles = resolved;
    return resolved;
  }

  private record Handles(MethodHandle flow, MethodHandle tube, MethodHandle finished, Class<?> sslTube) {
    static final Handles UNAVAILABLE = new Handles(null, null, null, null);
  }
}
