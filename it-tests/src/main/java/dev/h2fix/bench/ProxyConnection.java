package dev.h2fix.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One proxied TCP connection: the client-side socket, the upstream socket to the server, and two
 * daemon pump threads. Without a fault it is a transparent byte pipe (half-closes are forwarded).
 * Faults: {@link #close(Fault)} now, {@link #cutAfter(long, Fault)} after N more server-to-client
 * bytes, {@link #closeAfterServerBytes(long, Fault)} once the first N bytes the server sent on this
 * connection have been forwarded.
 */
public final class ProxyConnection {
  private static final int BUFFER = 16 * 1024;

  private final FaultProxy proxy;
  private final int id;
  private final Socket client;
  private final Socket upstream;
  private final int clientPort;
  private final int upstreamLocalPort;
  private final Thread up;
  private final Thread down;
  private final AtomicLong toServer = new AtomicLong();
  private final AtomicLong toClient = new AtomicLong();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private final Object lock = new Object();
  private long cutBudget = -1; // guarded by lock: server-to-client bytes left before the cut, -1 = none
  private Fault cutHow = Fault.RST; // guarded by lock
  private boolean upEof; // guarded by lock: client closed its output
  private boolean downEof; // guarded by lock: server closed its output
  private long forwardedDown; // guarded by lock: server-to-client bytes forwarded (or being written)
  private volatile boolean faulted; // a fault started: forward nothing more, drain and discard
  private volatile boolean stalled; // silent both ways, sockets left open
  private volatile boolean upstreamGone; // the server reset after its FIN: discard client bytes

  ProxyConnection(FaultProxy proxy, int id, Socket client, Socket upstream) {
    this.proxy = proxy;
    this.id = id;
    this.client = client;
    this.upstream = upstream;
    this.clientPort = client.getPort();
    this.upstreamLocalPort = upstream.getLocalPort();
    String name = "h2fix-proxy-" + proxy.listenPort() + "-" + id;
    this.up = daemon(name + "-up", () -> pump(client, upstream, false));
    this.down = daemon(name + "-down", () -> pump(upstream, client, true));
  }

  void start() {
    up.start();
    down.start();
  }

  public int id() {
    return id;
  }

  /** The client's port (remote port of the client-side socket). */
  public int clientPort() {
    return clientPort;
  }

  /** Local port of the upstream socket, i.e. the remote port the server sees. */
  public int upstreamLocalPort() {
    return upstreamLocalPort;
  }

  public long bytesToServer() {
    return toServer.get();
  }

  public long bytesToClient() {
    return toClient.get();
  }

  public boolean isOpen() {
    return !finished.get();
  }

  /** True once a fault was applied (the connection is dying even if sockets are still draining). */
  public boolean isFaulted() {
    return faulted;
  }

  /** Completes when both sockets are closed. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /** Kills the connection now. FIN: shutdownOutput both ways, drain, close. RST: linger 0 and close. */
  /**
   * From now on nothing is forwarded either way and nothing is closed: a peer that stopped
   * answering, for ping and idle timeouts. Whatever arrives is read and discarded.
   */
  public void stall() {
    stalled = true;
  }

  public void close(Fault how) {
    if (how == Fault.RST) {
      faulted = true;
      reset(client);
      reset(upstream);
      finish();
      return;
    }
    synchronized (lock) {
      if (faulted || finished.get()) {
        return;
      }
      faulted = true;
    }
    shutdownOutput(client);
    shutdownOutput(upstream);
    // Pumps now discard until each peer closes; bounded by the proxy's drain timeout.
    proxy.scheduleHardClose(this);
  }

  /** Closes with {@code how} after {@code bytes} more server-to-client bytes (0: now). */
  public void cutAfter(long bytes, Fault how) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes < 0");
    }
    if (bytes == 0) {
      close(how);
      return;
    }
    synchronized (lock) {
      cutBudget = bytes;
      cutHow = how;
    }
  }

  /**
   * Closes with {@code how} once {@code serverBytes} server-to-client bytes (counted from the start
   * of the connection) have been forwarded: now if they already have, else when they have, but no
   * later than the proxy's cut deadline.
   */
  public void closeAfterServerBytes(long serverBytes, Fault how) {
    long left;
    synchronized (lock) {
      left = serverBytes - forwardedDown;
      if (left > 0) {
        cutBudget = left;
        cutHow = how;
      }
    }
    if (left <= 0) {
      close(how);
    } else {
      proxy.scheduleCutDeadline(this, how);
    }
  }

  /** Waits (bounded) for the pump threads to end. */
  boolean join(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Thread t : new Thread[] {up, down}) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left > 0) {
        t.join(left);
      }
    }
    return !up.isAlive() && !down.isAlive();
  }

  /** Closes both sockets (normally, or after a reset) and unregisters; idempotent. */
  void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(client);
    closeQuietly(upstream);
    proxy.unregister(this);
    closed.complete(null);
  }

  private void pump(Socket from, Socket to, boolean downstream) {
    byte[] buffer = new byte[BUFFER];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          onEof(downstream);
          return;
        }
        if (faulted || stalled || (!downstream && upstreamGone)) {
          continue; // draining: discard
        }
        try {
          if (downstream) {
            forwardDown(out, buffer, n);
          } else {
            out.write(buffer, 0, n);
            toServer.addAndGet(n);
          }
        } catch (IOException e) {
          if (!downstream && serverFinished()) {
            upstreamGone = true; // the server closed after its FIN: the client already has it all
          } else if (!faulted) {
            throw e;
          } // else a fault raced the write: keep draining
        }
      }
    } catch (IOException e) {
      if (!faulted && !finished.get()) {
        close(Fault.RST); // a peer reset or broke the connection: pass the reset on
      }
    }
  }

  private void forwardDown(OutputStream out, byte[] buffer, int n) throws IOException {
    int allowed;
    boolean cut;
    Fault how;
    synchronized (lock) {
      allowed = cutBudget < 0 ? n : (int) Math.min(n, cutBudget);
      if (cutBudget >= 0) {
        cutBudget -= allowed;
      }
      forwardedDown += allowed;
      cut = cutBudget == 0;
      how = cutHow;
    }
    if (allowed > 0) {
      out.write(buffer, 0, allowed);
      out.flush();
      toClient.addAndGet(allowed);
    }
    if (cut) {
      close(how);
    }
  }

  private void onEof(boolean downstream) {
    boolean done;
    synchronized (lock) {
      if (downstream) {
        downEof = true;
      } else {
        upEof = true;
      }
      done = upEof && downEof;
    }
    if (!faulted) {
      shutdownOutput(downstream ? client : upstream); // forward the half-close
    }
    if (done) {
      finish();
    }
  }

  private boolean serverFinished() {
    synchronized (lock) {
      return downEof;
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void shutdownOutput(Socket socket) {
    try {
      if (!socket.isClosed() && !socket.isOutputShutdown()) {
        socket.shutdownOutput();
      }
    } catch (IOException ignored) {
      // already gone
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closed already
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public String toString() {
    return "ProxyConnection#" + id + "[client=" + clientPort + " upstreamLocal=" + upstreamLocalPort
        + " toServer=" + toServer + " toClient=" + toClient + (faulted ? " faulted" : "")
        + (finished.get() ? " closed" : "") + "]";
  }
}
