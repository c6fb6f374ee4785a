package dev.h2fix.runtime;

/** What h2fix counts, per client. */
public enum Event {
  /** A dead session was invalidated (pool, library listeners, h2fix listeners) before its streams failed. */
  SESSIONS_INVALIDATED_EARLY("sessionsInvalidatedEarly"),
  /** A request that provably never reached the server was sent again on a fresh connection. */
  REQUESTS_REROUTED("requestsRerouted"),
  /** A failed request was not replayed because the server may have processed it, or its body is one-shot. */
  REPLAYS_DECLINED_UNSAFE("replaysDeclinedUnsafe"),
  /** Advice caught an unexpected throwable and let the library go on as stock. */
  ADVICE_FAILURES("adviceFailures"),
  /** An {@link InvalidationListener} threw; the exception was swallowed. */
  LISTENER_FAILURES("listenerFailures");

  private final String id;

  Event(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
