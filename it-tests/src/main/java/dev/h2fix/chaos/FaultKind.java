package dev.h2fix.chaos;

import dev.h2fix.bench.BenchProtocol;
import java.util.Locale;

/** The faults a chaos run injects, each one bench action applied to a request's first attempt. */
public enum FaultKind {
  /** The request is delivered, then its connection closes with FIN before any answer. */
  FIN(BenchProtocol.Kind.FIN),
  /** The request is delivered, then its connection is reset (RST) before any answer. */
  RST(BenchProtocol.Kind.RST),
  /** The response headers and half its body arrive, then the connection is reset. */
  CUT(BenchProtocol.Kind.CUT_BODY),
  /** GOAWAY with last-stream-id below this request: it, and every later stream, is refused. */
  GOAWAY(BenchProtocol.Kind.GOAWAY),
  /** GOAWAY with last-stream-id = this request: it is answered, every later stream refused. */
  GOAWAY_KEEP(BenchProtocol.Kind.GOAWAY_KEEP),
  /** RST_STREAM(REFUSED_STREAM) for this request only; the connection stays. */
  REFUSED(BenchProtocol.Kind.REFUSE);

  private final BenchProtocol.Kind action;

  FaultKind(BenchProtocol.Kind action) {
    this.action = action;
  }

  /** The value of the bench's {@code x-h2fix-action} header. */
  public String headerValue() {
    return action.headerValue();
  }

  /** The name used in options and reports: lower case, '-' for '_'. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The kind named {@code id}, or null. */
  public static FaultKind byId(String id) {
    for (FaultKind kind : values()) {
      if (kind.id().equals(id)) {
        return kind;
      }
    }
    return null;
  }

  public static String validIds() {
    StringBuilder out = new StringBuilder();
    for (FaultKind kind : values()) {
      out.append(out.length() == 0 ? "" : ", ").append(kind.id());
    }
    return out.toString();
  }
}
