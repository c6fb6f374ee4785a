package dev.h2fix.agent;

/** Which of Jetty's HTTP/2 clients a class path holds, for {@code h2fix check}'s line (display only). */
final class JettyPieces {
  private static final String LOW_LEVEL = "org.eclipse.jetty.http2.client.HTTP2Client";
  private static final String HTTP_CLIENT_TRANSPORT = "org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2";

  private JettyPieces() {}

  static String describe(ClassPathRoots roots) {
    boolean lowLevel = !roots.holding(LOW_LEVEL).isEmpty();
    boolean transport = !roots.holding(HTTP_CLIENT_TRANSPORT).isEmpty();
    if (!lowLevel && !transport) {
      return " (no HTTP/2 client jar: jetty-http2-common only, a server?)";
    }
    return " (" + (lowLevel ? "HTTP2Client" : "") + (lowLevel && transport ? ", " : "")
        + (transport ? "HttpClient over HTTP/2" : "") + ")";
  }
}
