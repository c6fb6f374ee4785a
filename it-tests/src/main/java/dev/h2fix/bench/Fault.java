package dev.h2fix.bench;

import java.util.Locale;

/** How a connection is killed. */
public enum Fault {
  /** Orderly TCP close: FIN to both peers, then the sockets are closed once drained. */
  FIN,
  /** Abortive TCP close: SO_LINGER 0 then close, so both peers get an RST. */
  RST;

  public static Fault parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
