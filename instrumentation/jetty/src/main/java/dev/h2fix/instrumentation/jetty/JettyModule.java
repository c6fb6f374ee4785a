package dev.h2fix.instrumentation.jetty;

import dev.h2fix.runtime.Client;
import dev.h2fix.tooling.ClientModule;
import dev.h2fix.tooling.LibraryShape;
import dev.h2fix.tooling.Variant;
import java.util.List;

/**
 * Jetty 12.0 and 12.1 HTTP/2 clients: the low-level {@code HTTP2Client} and {@code HttpClient} over
 * HTTP/2. {@code HTTP2Session} is shared with Jetty's server: patches act on client sessions only.
 */
public final class JettyModule implements ClientModule {
  static final String HTTP2_SESSION = "org.eclipse.jetty.http2.HTTP2Session";

  @Override
  public Client client() {
    return Client.JETTY;
  }

  @Override
  public String detectionType() {
    return HTTP2_SESSION;
  }

  @Override
  public List<Variant> variants() {
    return List.of(
        new Variant(
            "12.x",
            LibraryShape.builder()
                .method(HTTP2_SESSION, "onShutdown")
                .method(
                    HTTP2_SESSION,
                    "notifyClose",
                    "org.eclipse.jetty.http2.api.Session",
                    "org.eclipse.jetty.http2.frames.GoAwayFrame",
                    "org.eclipse.jetty.util.Callback"),
            List.of()));
  }
}
