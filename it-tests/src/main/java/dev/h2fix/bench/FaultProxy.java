package dev.h2fix.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fault-injecting TCP proxy on 127.0.0.1:0 to 127.0.0.1:targetPort. Plain blocking sockets, one
 * accept thread and two pump threads per connection, all daemons; {@link #close()} resets every
 * connection and ends the threads. Connections can be found by the upstream socket's local port,
 * which is the remote port the server sees.
 */
public final class FaultProxy implements AutoCloseable {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final long DRAIN_TIMEOUT_MS = 2_000;
  private static final long JOIN_TIMEOUT_MS = 2_000;
  private static final long CUT_DEADLINE_MS = 1_000;

  private final int targetPort;
  private final ServerSocket server;
  private final Thread acceptor;
  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<Integer, ProxyConnection> byUpstreamPort = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ProxyConnection, Boolean> all = new ConcurrentHashMap<>(); // for join on close
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicReference<Cut> nextCut = new AtomicReference<>();
  private final Object changes = new Object(); // notified when a connection goes away
  private volatile boolean closed;

  private record Cut(long bytes, Fault how) {
  }

  public FaultProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 128, LOOPBACK);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "h2fix-proxy-" + server.getLocalPort() + "-timer");
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::acceptLoop, "h2fix-proxy-" + server.getLocalPort() + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int listenPort() {
    return server.getLocalPort();
  }

  public int targetPort() {
    return targetPort;
  }

  /** Number of connections accepted since start. */
  public long acceptedCount() {
    return accepted.get();
  }

  /** Connections whose sockets are not closed yet (including ones draining after a FIN fault). */
  public List<ProxyConnection> connections() {
    return List.copyOf(byUpstreamPort.values());
  }

  public int liveCount() {
    return byUpstreamPort.size();
  }

  /** The connection whose upstream socket has this local port (= the server-side remote port). */
  public Optional<ProxyConnection> connectionByUpstreamLocalPort(int port) {
    return Optional.ofNullable(byUpstreamPort.get(port));
  }

  /** Applies {@code how} to every live connection; returns how many were hit. */
  public int closeAll(Fault how) {
    int count = 0;
    for (ProxyConnection connection : connections()) {
      if (!connection.isFaulted()) {
        connection.close(how);
        count++;
      }
    }
    return count;
  }

  /** Arms the next accepted connection to be cut after {@code bytes} server-to-client bytes. */
  public void cutNextAfter(long bytes, Fault how) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes < 0");
    }
    nextCut.set(new Cut(bytes, how));
  }

  /** Arms every live connection to be cut after {@code bytes} more server-to-client bytes. */
  public int cutAllAfter(long bytes, Fault how) {
    int count = 0;
    for (ProxyConnection connection : connections()) {
      if (!connection.isFaulted()) {
        connection.cutAfter(bytes, how);
        count++;
      }
    }
    return count;
  }

  /** Disarms a pending {@link #cutNextAfter}. */
  public void clearNextCut() {
    nextCut.set(null);
  }

  /** Waits until at most {@code count} connections are live; false on timeout. */
  public boolean awaitLiveAtMost(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changes) {
      while (liveCount() > count) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        changes.wait(left);
      }
      return true;
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (ProxyConnection connection : List.copyOf(all.keySet())) {
      connection.close(Fault.RST);
    }
    timer.shutdownNow();
    try {
      acceptor.join(JOIN_TIMEOUT_MS);
      for (ProxyConnection connection : List.copyOf(all.keySet())) {
        connection.join(JOIN_TIMEOUT_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void unregister(ProxyConnection connection) {
    byUpstreamPort.remove(connection.upstreamLocalPort(), connection);
    all.remove(connection);
    synchronized (changes) {
      changes.notifyAll();
    }
  }

  /** Bounds the drain after a FIN fault: whatever is left is closed after a timeout. */
  void scheduleHardClose(ProxyConnection connection) {
    try {
      timer.schedule(connection::finish, DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      connection.finish(); // timer already shut down
    }
  }

  /** Bounds {@link ProxyConnection#closeAfterServerBytes}: if the bytes never come, cut anyway. */
  void scheduleCutDeadline(ProxyConnection connection, Fault how) {
    Runnable cut = () -> {
      if (connection.isOpen() && !connection.isFaulted()) {
        connection.close(how);
      }
    };
    try {
      timer.schedule(cut, CUT_DEADLINE_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      cut.run(); // timer already shut down
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket upstream = new Socket();
      try {
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        upstream.connect(new InetSocketAddress(LOOPBACK, targetPort), CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        abort(client);
        abort(upstream);
        continue;
      }
      ProxyConnection connection = new ProxyConnection(this, ids.incrementAndGet(), client, upstream);
      all.put(connection, Boolean.TRUE);
      byUpstreamPort.put(connection.upstreamLocalPort(), connection); // before any byte flows
      accepted.incrementAndGet();
      Cut cut = nextCut.getAndSet(null);
      if (cut != null) {
        connection.cutAfter(cut.bytes(), cut.how());
      }
      if (closed) {
        connection.close(Fault.RST);
        return;
      }
      connection.start();
    }
  }

  private static void abort(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // not connected
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public String toString() {
    return "FaultProxy[" + listenPort() + " -> " + targetPort + ", live=" + liveCount() + "]";
  }
}
