package dev.h2fix.bench;

import java.util.Locale;

/**
 * The in-band request protocol of the bench server: request headers that name a request and tell
 * the server what to do with it, and the headers the server answers with. JDK types only, so client
 * code in a forked JVM can use the constants.
 */
public final class BenchProtocol {
  /** Request: unique request id; the server counts deliveries per id. */
  public static final String ID = "x-h2fix-id";
  /**
   * Request: what the server does with the request, see {@link Kind}; default {@code ok}. A fault
   * (anything but ok and delay) applies to the first attempt of an id only: a later attempt with
   * the same id, a replay, is answered as ok (and counted, so a duplicate delivery shows).
   */
  public static final String ACTION = "x-h2fix-action";
  /** Request: response body size in bytes; default {@link #DEFAULT_SIZE}. */
  public static final String SIZE = "x-h2fix-size";
  /** Response: number of request body bytes the server read. */
  public static final String RECEIVED = "x-h2fix-received";
  /** Response: the server-side HTTP/2 stream id. */
  public static final String STREAM = "x-h2fix-stream";
  /** Response: the server-side remote port (the proxy's upstream local port when proxied). */
  public static final String PEER_PORT = "x-h2fix-peer-port";

  public static final int DEFAULT_SIZE = 16;

  private BenchProtocol() {
  }

  /** The actions. Header value: the lower-case name with '-' for '_'; DELAY is {@code delay=<ms>}. */
  public enum Kind {
    /** 200 with a body of {@code x-h2fix-size} bytes, after reading the request body. */
    OK,
    /** Like OK, answered after a delay. */
    DELAY,
    /** Delivered, never answered. */
    HANG,
    /** RST_STREAM(REFUSED_STREAM); not a delivery. */
    REFUSE,
    /** GOAWAY(NO_ERROR, last-stream-id = this stream - 2); not a delivery. */
    GOAWAY,
    /** GOAWAY(NO_ERROR, last-stream-id = this stream); delivered and answered. */
    GOAWAY_KEEP,
    /**
     * Delivered, never answered: the proxy forwards what the server had written so far on the
     * connection (SETTINGS, earlier responses), then closes it with FIN.
     */
    FIN,
    /** Like FIN, but the proxy resets the connection (RST). */
    RST,
    /**
     * Delivered, never answered: the proxy connection carrying it goes silent both ways, nothing
     * closed (a peer that stopped answering: ping and idle timeouts).
     */
    STALL,
    /**
     * Delivered, never answered: the server sends SETTINGS with ENABLE_PUSH=1 on the connection,
     * which a client must treat as a connection error of type PROTOCOL_ERROR (RFC 9113 §6.5.2).
     */
    PROTOCOL_ERROR,
    /**
     * Delivered, never answered: the server sends a graceful GOAWAY (last-stream-id 2^31-1: the
     * stream may go on), then the proxy forwards it and closes the connection with FIN.
     */
    GOAWAY_GRACEFUL_THEN_FIN,
    /** Answered in full; once the proxy has forwarded the response, it closes with FIN. */
    FIN_AFTER_RESPONSE,
    /** Answered in full; once the proxy has forwarded the response, it resets (RST). */
    RST_AFTER_RESPONSE,
    /**
     * Delivered; the server sends the response headers and half the body, then the proxy forwards
     * those bytes and resets the connection (RST): a cut in the middle of a response body.
     */
    CUT_BODY;

    public String headerValue() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** A parsed {@code x-h2fix-action} value. */
  public record Action(Kind kind, long delayMillis) {
    public static final Action OK = new Action(Kind.OK, 0);

    public static Action delay(long millis) {
      return new Action(Kind.DELAY, millis);
    }

    /** Parses a header value; null or blank means {@code ok}. */
    public static Action parse(String value) {
      if (value == null || value.isBlank()) {
        return OK;
      }
      String text = value.trim().toLowerCase(Locale.ROOT);
      if (text.startsWith("delay=")) {
        long millis = Long.parseLong(text.substring("delay=".length()).trim());
        if (millis < 0) {
          throw new IllegalArgumentException("negative delay: " + value);
        }
        return delay(millis);
      }
      for (Kind kind : Kind.values()) {
        if (kind != Kind.DELAY && kind.headerValue().equals(text)) {
          return new Action(kind, 0);
        }
      }
      throw new IllegalArgumentException("unknown " + ACTION + ": " + value);
    }

    public String headerValue() {
      return kind == Kind.DELAY ? "delay=" + delayMillis : kind.headerValue();
    }
  }
}
