package dev.h2fix.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The bench: a real Jetty 12.1 HTTP/2 server on 127.0.0.1 with an h2c (prior knowledge) connector
 * and a TLS connector (ALPN "h2", self-signed certificate), each fronted by its own
 * {@link FaultProxy}. Requests follow {@link BenchProtocol}; deliveries are counted in a
 * {@link DeliveryLog}. Clients normally connect through the proxies ({@link #h2cProxy()},
 * {@link #tlsProxy()}); {@link #h2cPort()} and {@link #tlsPort()} are the direct server ports.
 */
public final class BenchServer implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  private static final int MAX_CONCURRENT_STREAMS = 1024;
  private static final long IDLE_TIMEOUT_MS = 30_000;

  private final DeliveryLog log = new DeliveryLog();
  private final ConcurrentHashMap<Session, SessionState> sessions = new ConcurrentHashMap<>();
  private final SelfSignedCertificate certificate;
  private final ScheduledExecutorService scheduler;
  private final Server server;
  private final ServerConnector h2cConnector;
  private final ServerConnector tlsConnector;
  private FaultProxy h2cProxy;
  private FaultProxy tlsProxy;

  private BenchServer(SelfSignedCertificate certificate) {
    this.certificate = certificate;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "h2fix-bench-scheduler");
      t.setDaemon(true);
      return t;
    });
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("h2fix-bench-jetty");
    threads.setDaemon(true);
    this.server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();

    this.h2cConnector = new ServerConnector(server, rawFactory(config, "h2c"));

    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(certificate.keystorePath().toString());
    ssl.setKeyStorePassword(certificate.password());
    ssl.setKeyStoreType(SelfSignedCertificate.KEYSTORE_TYPE);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2");
    alpn.setDefaultProtocol("h2");
    this.tlsConnector = new ServerConnector(server,
        new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, rawFactory(config, "h2"));

    for (ServerConnector connector : List.of(h2cConnector, tlsConnector)) {
      connector.setHost(HOST);
      connector.setPort(0);
      connector.setIdleTimeout(IDLE_TIMEOUT_MS);
      server.addConnector(connector);
    }
  }

  /** Starts the server (new self-signed certificate) and both proxies. */
  public static BenchServer start() throws Exception {
    return start(SelfSignedCertificate.create());
  }

  /** Starts the server with an existing certificate (deleted on close only if it owns its directory). */
  public static BenchServer start(SelfSignedCertificate certificate) throws Exception {
    BenchServer bench = new BenchServer(certificate);
    try {
      bench.server.start();
      bench.h2cProxy = new FaultProxy(bench.h2cPort());
      bench.tlsProxy = new FaultProxy(bench.tlsPort());
      return bench;
    } catch (Exception | Error e) {
      bench.close();
      throw e;
    }
  }

  private RawH2Factory rawFactory(HttpConfiguration config, String protocol) {
    BenchSessionListener listener = new BenchSessionListener(this);
    RawH2Factory factory = new RawH2Factory(config, listener, protocol);
    factory.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
    listener.settings(factory::settings);
    return factory;
  }

  /** Direct h2c (prior knowledge) port of the server, bypassing the proxy. */
  public int h2cPort() {
    return h2cConnector.getLocalPort();
  }

  /** Direct TLS (ALPN h2) port of the server, bypassing the proxy. */
  public int tlsPort() {
    return tlsConnector.getLocalPort();
  }

  public FaultProxy h2cProxy() {
    return h2cProxy;
  }

  public FaultProxy tlsProxy() {
    return tlsProxy;
  }

  public List<FaultProxy> proxies() {
    return List.of(h2cProxy, tlsProxy);
  }

  public SelfSignedCertificate certificate() {
    return certificate;
  }

  public DeliveryLog log() {
    return log;
  }

  public int deliveries(String id) {
    return log.deliveries(id);
  }

  public int refusals(String id) {
    return log.refusals(id);
  }

  /** Where and why each stream of {@code id} was delivered or refused, for failure messages. */
  public List<String> history(String id) {
    return log.history(id);
  }

  public List<String> duplicates() {
    return log.duplicates();
  }

  public long deliveredCount() {
    return log.deliveredCount();
  }

  public long refusedCount() {
    return log.refusedCount();
  }

  /** Clears the counters; call while nothing is in flight. */
  public void reset() {
    log.reset();
  }

  /** Live server sessions (connections). */
  public int sessionCount() {
    return sessions.size();
  }

  /** Applies {@code how} to every live connection of both proxies; returns how many. */
  public int closeAll(Fault how) {
    return h2cProxy.closeAll(how) + tlsProxy.closeAll(how);
  }

  /** Arms every live connection of both proxies to be cut after {@code bytes} more response bytes. */
  public int cutAllAfter(long bytes, Fault how) {
    return h2cProxy.cutAllAfter(bytes, how) + tlsProxy.cutAllAfter(bytes, how);
  }

  /** Arms the next connection accepted by each proxy to be cut after {@code bytes} response bytes. */
  public void cutNextAfter(long bytes, Fault how) {
    h2cProxy.cutNextAfter(bytes, how);
    tlsProxy.cutNextAfter(bytes, how);
  }

  /**
   * Sends GOAWAY(NO_ERROR) on every live session with last-stream-id = the highest request stream
   * the session has seen + {@code delta} (delta >= 0: nothing delivered is ever declared unprocessed),
   * then closes each once its streams up to that id are done. Returns the number of sessions.
   */
  public int goAwayAll(int delta) {
    int count = 0;
    for (SessionState state : sessions.values()) {
      state.goAwayAfterSeen(delta);
      count++;
    }
    return count;
  }

  /** Graceful GOAWAY (last-stream-id 2^31-1) on every live session; returns the number of sessions. */
  public int goAwayAllGraceful() {
    int count = 0;
    for (SessionState state : sessions.values()) {
      state.goAwayGraceful();
      count++;
    }
    return count;
  }

  @Override
  public void close() {
    for (FaultProxy proxy : new FaultProxy[] {h2cProxy, tlsProxy}) {
      if (proxy != null) {
        proxy.close();
      }
    }
    try {
      server.stop();
    } catch (Exception ignored) {
      // stopping anyway
    }
    scheduler.shutdownNow();
    certificate.delete();
  }

  // ---- used by the server-side classes ----

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  SessionState state(Session session) {
    return sessions.computeIfAbsent(session, s -> new SessionState((HTTP2Session) s, log, scheduler));
  }

  void forget(Session session) {
    sessions.remove(session);
  }

  /** The proxy connection carrying this server session, if it came through a proxy. */
  Optional<ProxyConnection> proxyConnection(Session session) {
    int local = port(session.getLocalSocketAddress());
    FaultProxy proxy = local == h2cPort() ? h2cProxy : local == tlsPort() ? tlsProxy : null;
    return proxy == null ? Optional.empty()
        : proxy.connectionByUpstreamLocalPort(remotePort(session));
  }

  /** The server-side remote port of a session: the proxy's upstream local port when proxied. */
  static int remotePort(Session session) {
    return port(session.getRemoteSocketAddress());
  }

  private static int port(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getPort() : -1;
  }

  /**
   * Kills the connection of a session with {@code how}: the proxy forwards every byte the server has
   * written so far on it, then closes. Direct connections are closed by the server itself.
   */
  /** The proxy connection carrying {@code session} stops forwarding (no-op without a proxy). */
  void stallConnection(Session session) {
    proxyConnection(session).ifPresent(ProxyConnection::stall);
  }

  void killConnection(Session session, Fault how) {
    EndPoint endPoint = ((HTTP2Session) session).getEndPoint();
    Optional<ProxyConnection> connection = proxyConnection(session);
    if (connection.isPresent()) {
      connection.get().closeAfterServerBytes(networkBytesOut(endPoint), how);
    } else if (how == Fault.RST) {
      if (endPoint.getTransport() instanceof SocketChannel channel) {
        try {
          channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      endPoint.close();
    } else {
      endPoint.shutdownOutput();
    }
  }

  /** Bytes the server wrote to the TCP connection: TLS records for TLS, HTTP/2 frames for h2c. */
  private static long networkBytesOut(EndPoint endPoint) {
    if (endPoint instanceof SslConnection.SslEndPoint ssl) {
      return ssl.getSslConnection().getBytesOut();
    }
    return endPoint.getConnection().getBytesOut();
  }

  @Override
  public String toString() {
    return "BenchServer[h2c=" + h2cPort() + " tls=" + tlsPort() + " " + log + "]";
  }
}
