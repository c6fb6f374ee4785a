package dev.h2fix.chaos.child;

/**
 * How one request ended, as the application saw it. {@code unsent}: the client's own failure says
 * the request never left it, or the server refused it unprocessed (the parent checks this against
 * the server's delivery log). {@code replayed}: h2fix had already sent it again once, and this is
 * the failure of that replay.
 */
public record Outcome(boolean ok, Throwable failure, boolean unsent, boolean replayed) {
  private static final Outcome OK = new Outcome(true, null, false, false);

  public static Outcome success() {
    return OK;
  }

  public static Outcome failed(Throwable failure, boolean unsent) {
    return new Outcome(false, failure, unsent, false);
  }

  public static Outcome failed(Throwable failure, boolean unsent, boolean replayed) {
    return new Outcome(false, failure, unsent, replayed);
  }
}
