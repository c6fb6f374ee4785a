package dev.h2fix.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Client of {@link BenchControl}, JDK types only, for forked client JVMs. One connection, one
 * command at a time; every read and connect is bounded by the timeout. A failed command ({@code ERR})
 * throws {@link IOException}.
 */
public final class BenchControlClient implements AutoCloseable {
  public static final int DEFAULT_TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final BufferedReader in;
  private final Writer out;

  /** Counters as reported by {@code STATS}. */
  public record Stats(long delivered, long refused, int duplicates, int connections, int sessions) {
  }

  public BenchControlClient(int port) throws IOException {
    this(port, DEFAULT_TIMEOUT_MS);
  }

  public BenchControlClient(int port, int timeoutMillis) throws IOException {
    socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends one command line; returns the text after {@code OK} (maybe empty). */
  public synchronized String command(String line) throws IOException {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("one line only");
    }
    out.write(line + "\n");
    out.flush();
    String answer = in.readLine(); // bounded by SO_TIMEOUT
    if (answer == null) {
      throw new IOException("control connection closed");
    }
    if (answer.equals("OK")) {
      return "";
    }
    if (answer.startsWith("OK ")) {
      return answer.substring(3);
    }
    throw new IOException("control command '" + line + "' failed: " + answer);
  }

  public void ping() throws IOException {
    command("PING");
  }

  public int finAll() throws IOException {
    return intValue(command("FIN_ALL"), "closed");
  }

  public int rstAll() throws IOException {
    return intValue(command("RST_ALL"), "closed");
  }

  public int cutAllAfter(long bytes, String how) throws IOException {
    return intValue(command("CUT_ALL_AFTER " + bytes + " " + how), "armed");
  }

  public void cutNextAfter(long bytes, String how) throws IOException {
    command("CUT_NEXT_AFTER " + bytes + " " + how);
  }

  /** GOAWAY with last-stream-id = highest stream seen + delta, on every session. */
  public int goAwayAll(int delta) throws IOException {
    return intValue(command("GOAWAY_ALL " + delta), "sessions");
  }

  public int goAwayAllGraceful() throws IOException {
    return intValue(command("GOAWAY_ALL max"), "sessions");
  }

  public Stats stats() throws IOException {
    Map<String, String> values = pairs(command("STATS"));
    return new Stats(Long.parseLong(values.get("delivered")), Long.parseLong(values.get("refused")),
        Integer.parseInt(values.get("duplicates")), Integer.parseInt(values.get("connections")),
        Integer.parseInt(values.get("sessions")));
  }

  public int deliveries(String id) throws IOException {
    return Integer.parseInt(command("DELIVERIES " + id).trim());
  }

  /**
   * Returns once the bench has delivered {@code id} (its stream is open at the server); polls, at
   * most {@code timeoutMillis}. Throws {@link IllegalStateException} if it never was.
   */
  public void awaitDelivered(String id, long timeoutMillis) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (deliveries(id) == 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("never delivered: " + id);
      }
      Thread.sleep(5);
    }
  }

  public List<String> duplicates() throws IOException {
    String text = command("DUPLICATES").trim();
    return text.isEmpty() ? List.of() : List.of(text.split(","));
  }

  public void reset() throws IOException {
    command("RESET");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static int intValue(String answer, String key) throws IOException {
    String value = pairs(answer).get(key);
    if (value == null) {
      throw new IOException("no " + key + " in '" + answer + "'");
    }
    return Integer.parseInt(value);
  }

  private static Map<String, String> pairs(String answer) {
    Map<String, String> values = new HashMap<>();
    for (String word : answer.trim().split("\\s+")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        values.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    return values;
  }
}
