package dev.h2fix.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A line-based control port on 127.0.0.1 for forked client JVMs. One command per line, one answer
 * line per command, {@code OK ...} or {@code ERR ...}:
 * <pre>
 * PING                              OK pong
 * FIN_ALL | RST_ALL                 OK closed=N        (live proxy connections, both proxies)
 * CUT_ALL_AFTER bytes [FIN|RST]     OK armed=N         (live connections; default RST)
 * CUT_NEXT_AFTER bytes [FIN|RST]    OK                 (next connection of each proxy)
 * GOAWAY_ALL delta|max              OK sessions=N      (last-stream-id = highest seen + delta, or graceful)
 * STATS                             OK delivered=D refused=R duplicates=U connections=C sessions=S
 * DELIVERIES id                     OK n
 * DUPLICATES                        OK id1,id2,...     (ids delivered more than once)
 * RESET                             OK                 (counters, pending cuts)
 * </pre>
 */
public final class BenchControl implements AutoCloseable {
  private final BenchServer bench;
  private final ServerSocket server;
  private final Thread acceptor;
  private final ConcurrentHashMap<Socket, Thread> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public BenchControl(BenchServer bench) throws IOException {
    this.bench = bench;
    this.server = new ServerSocket(0, 16, FaultProxy.LOOPBACK);
    this.acceptor = new Thread(this::acceptLoop, "h2fix-bench-control");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Executes one command line and returns the answer line (also usable in-process). */
  public String execute(String line) {
    String[] words = line.trim().split("\\s+");
    String command = words[0].toUpperCase(Locale.ROOT);
    try {
      return switch (command) {
        case "PING" -> "OK pong";
        case "FIN_ALL" -> "OK closed=" + bench.closeAll(Fault.FIN);
        case "RST_ALL" -> "OK closed=" + bench.closeAll(Fault.RST);
        case "CUT_ALL_AFTER" -> "OK armed=" + bench.cutAllAfter(bytes(words), fault(words));
        case "CUT_NEXT_AFTER" -> {
          bench.cutNextAfter(bytes(words), fault(words));
          yield "OK";
        }
        case "GOAWAY_ALL" -> "OK sessions=" + goAway(words);
        case "STATS" -> "OK delivered=" + bench.deliveredCount() + " refused=" + bench.refusedCount()
            + " duplicates=" + bench.duplicates().size()
            + " connections=" + (bench.h2cProxy().liveCount() + bench.tlsProxy().liveCount())
            + " sessions=" + bench.sessionCount();
        case "DELIVERIES" -> "OK " + bench.deliveries(argument(words, 1));
        case "DUPLICATES" -> "OK " + String.join(",", bench.duplicates());
        case "RESET" -> {
          bench.reset();
          bench.proxies().forEach(FaultProxy::clearNextCut);
          yield "OK";
        }
        default -> "ERR unknown command " + words[0];
      };
    } catch (RuntimeException e) {
      return "ERR " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ');
    }
  }

  private int goAway(String[] words) {
    String arg = argument(words, 1);
    return "max".equalsIgnoreCase(arg) ? bench.goAwayAllGraceful() : bench.goAwayAll(Integer.parseInt(arg));
  }

  private static long bytes(String[] words) {
    long bytes = Long.parseLong(argument(words, 1));
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes < 0");
    }
    return bytes;
  }

  private static Fault fault(String[] words) {
    return words.length > 2 ? Fault.parse(words[2]) : Fault.RST;
  }

  private static String argument(String[] words, int index) {
    if (words.length <= index) {
      throw new IllegalArgumentException("missing argument " + index);
    }
    return words[index];
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket socket : List.copyOf(clients.keySet())) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      acceptor.join(2_000);
      for (Thread thread : List.copyOf(clients.values())) {
        thread.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread thread = new Thread(() -> serve(socket), "h2fix-bench-control-" + socket.getPort());
      thread.setDaemon(true);
      clients.put(socket, thread);
      thread.start();
    }
  }

  private void serve(Socket socket) {
    try (socket;
       BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
       Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        out.write(execute(line) + "\n");
        out.flush();
      }
    } catch (IOException ignored) {
      // client went away
    } finally {
      clients.remove(socket);
    }
  }
}
