package dev.h2fix.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2 client libraries h2fix has no module for, recognised by one class each, so that
 * {@code h2fix check} can say they are there and left alone. Display only: no shape is checked.
 */
final class UnknownClients {
  private UnknownClients() {}

  record Found(String what, String version, ClassPathRoots.Root root) {}

  private static final String[][] MARKERS = {
    {"io.netty.handler.codec.http2.Http2ConnectionHandler", "Netty HTTP/2 codec, also under Vert.x, Reactor Netty, gRPC-Netty"},
    {"org.apache.hc.core5.http2.impl.nio.ClientH2StreamMultiplexer", "Apache HttpComponents 5 HTTP/2"},
    {"io.grpc.okhttp.OkHttpClientTransport", "gRPC-OkHttp (its own copy of OkHttp's HTTP/2 code)"},
    {"com.squareup.okhttp.internal.framed.FramedConnection", "OkHttp 2.x"},
  };

  static List<Found> find(ClassPathRoots roots) {
    List<Found> out = new ArrayList<>();
    for (String[] marker : MARKERS) {
      for (ClassPathRoots.Root r : roots.holding(marker[0])) {
        out.add(new Found(marker[1], r.version(), r));
      }
    }
    return out;
  }
}
