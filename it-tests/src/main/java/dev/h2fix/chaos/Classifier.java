package dev.h2fix.chaos;

import dev.h2fix.bench.BenchServer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sorts a child's failed requests ({@code CHAOS F} lines) with the server's delivery log: a failure
 * counts as never sent only when the client says the request never left it AND the server has no
 * record of it; everything else the server got, or may have got, counts as after send.
 */
final class Classifier {
  private final BenchServer bench;
  long neverSent;
  long neverSentOneShot;
  long neverSentAfterReplay;
  long afterSend;
  long lostInTransit;
  long hung;
  long unsentButDelivered;
  final Map<String, Long> kinds = new TreeMap<>();

  Classifier(BenchServer bench) {
    this.bench = bench;
  }

  /** {@code id unsent oneShot hung replayed fault exceptionClass}. */
  void failed(String fields) {
    String[] f = fields.trim().split(" ");
    if (f.length < 7) {
      return;
    }
    boolean replayed = f[4].equals("1");
    String id = f[0];
    boolean unsent = f[1].equals("1");
    boolean oneShot = f[2].equals("1");
    boolean timedOut = f[3].equals("1");
    boolean delivered = bench.deliveries(id) > 0;
    String category;
    if (timedOut) {
      hung++;
      category = "hung";
    } else if (unsent && !delivered) {
      if (replayed) {
        neverSentAfterReplay++; // refused again after h2fix's one replay (RFC 9113 §8.7 leaves it to the client)
        category = "never-sent-after-replay";
      } else if (oneShot) {
        neverSentOneShot++;
        category = "never-sent-one-shot";
      } else {
        neverSent++;
        category = "never-sent";
      }
    } else {
      afterSend++;
      category = "after-send";
      if (!delivered) {
        lostInTransit++;
      } else if (unsent) {
        unsentButDelivered++;
      }
    }
    kinds.merge(category + " " + f[6] + (f[5].equals("-") ? "" : " [" + f[5] + "]"), 1L, Long::sum);
  }
}
