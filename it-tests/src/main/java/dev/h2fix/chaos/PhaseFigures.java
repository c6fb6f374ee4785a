package dev.h2fix.chaos;

import java.util.Map;

/**
 * One client in one phase, as classified with the server's delivery log. Failures fall into exactly
 * one of: never sent (replayable body), never sent with a one-shot body, after send, hung.
 *
 * @param neverSent failed; the client's own failure says the request never left it (or the server
 *     refused it unprocessed) and the server has no record of it; its body could be sent again
 * @param neverSentOneShot the same, with a body that cannot be replayed: nobody may send it again
 * @param neverSentAfterReplay the same, refused again after h2fix had sent it once more (h2fix
 *     replays a refused request once)
 * @param afterSend failed once the request was on the wire: delivered, or lost in transit
 * @param lostInTransit of {@code afterSend}: the server has no record of it either, but the client
 *     cannot know (its bytes were written when the connection died)
 * @param duplicates ids the server got more than once
 * @param hung the request timeout ended it
 * @param extra more figures (resources, errors, failure kinds)
 */
public record PhaseFigures(String client, String phase, boolean agent, boolean patched, long requests,
    long succeeded, long neverSent, long neverSentOneShot, long neverSentAfterReplay, long afterSend, long lostInTransit, long duplicates,
    long hung, long rerouted, long declined, long p50us, long p99us, long elapsedMs, int exitCode,
    Map<String, Long> failureKinds, Map<String, Long> extra) {

  public long failed() {
    return neverSent + neverSentOneShot + neverSentAfterReplay + afterSend + hung;
  }

  /** Requests per second over the load (warm-up and JVM start not included). */
  public double throughput() {
    return elapsedMs == 0 ? 0 : requests * 1000.0 / elapsedMs;
  }

  /** True when the child reported its figures (exit 0). */
  public boolean complete() {
    return exitCode == 0;
  }
}
