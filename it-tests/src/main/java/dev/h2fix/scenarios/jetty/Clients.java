package dev.h2fix.scenarios.jetty;

import dev.h2fix.bench.SelfSignedCertificate;
import dev.h2fix.scenarios.ScenarioArgs;
import java.nio.file.Path;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.ConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty HttpClients over HTTP/2 for the scenarios: {@code --kind=h2} (HttpClientTransportOverHTTP2) or {@code dynamic}. */
final class Clients {
  private Clients() {}

  static HttpClient newClient(ScenarioArgs args) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.load(Path.of(args.get("keystore")), args.get("password"));
    ClientConnector connector = new ClientConnector();
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setSslContext(cert.clientSslContext());
    connector.setSslContextFactory(tls);
    HTTP2Client http2 = new HTTP2Client(connector);
    HttpClientTransport transport = args.get("kind", "h2").equals("dynamic")
        ? new HttpClientTransportDynamic(connector, new ClientConnectionFactoryOverHTTP2.HTTP2(http2))
        : new HttpClientTransportOverHTTP2(http2);
    HttpClient client = new HttpClient(transport);
    client.setConnectTimeout(10_000);
    client.start();
    return client;
  }

  static String base(ScenarioArgs args) {
    boolean tls = args.get("transport").equals("tls");
    return (tls ? "https" : "http") + "://127.0.0.1:" + args.get(args.get("transport"));
  }

  /** Connections the client's pools hold (any state), over all destinations. */
  /**
   * Whether {@code connection} is still in its destination's pool (idle or active). The pool's
   * collections are package-private in Jetty 12.0 and 12.1: read reflectively, test code only.
   */
  static boolean isPooled(HttpClient client, org.eclipse.jetty.client.Connection connection) throws Exception {
    java.lang.reflect.Method idle = AbstractConnectionPool.class.getDeclaredMethod("getIdleConnections");
    java.lang.reflect.Method active = AbstractConnectionPool.class.getDeclaredMethod("getActiveConnections");
    idle.setAccessible(true);
    active.setAccessible(true);
    for (Destination d : client.getDestinations()) {
      ConnectionPool pool = d.getConnectionPool();
      if (pool instanceof AbstractConnectionPool
          && (((java.util.Collection<?>) idle.invoke(pool)).contains(connection)
              || ((java.util.Collection<?>) active.invoke(pool)).contains(connection))) {
        return true;
      }
    }
    return false;
  }

  static int pooledConnections(HttpClient client) {
    int n = 0;
    for (Destination d : client.getDestinations()) {
      ConnectionPool pool = d.getConnectionPool();
      if (pool instanceof AbstractConnectionPool) {
        n += ((AbstractConnectionPool) pool).getConnectionCount();
      }
    }
    return n;
  }
}
