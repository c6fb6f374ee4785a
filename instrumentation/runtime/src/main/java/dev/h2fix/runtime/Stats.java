package dev.h2fix.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters, per client and event. Lock-free ({@link LongAdder}), so advice can count on any
 * thread without contention. Read in-process with {@link #get} or {@link #snapshot}, and over JMX as
 * {@code h2fix:type=Stats}.
 */
public final class Stats {
  private static final LongAdder[][] COUNTERS = newCounters();

  private Stats() {}

  private static LongAdder[][] newCounters() {
    LongAdder[][] counters = new LongAdder[Client.values().length][Event.values().length];
    for (LongAdder[] row : counters) {
      for (int i = 0; i < row.length; i++) {
        row[i] = new LongAdder();
      }
    }
    return counters;
  }

  public static void increment(Client client, Event event) {
    COUNTERS[client.ordinal()][event.ordinal()].increment();
  }

  public static long get(Client client, Event event) {
    return COUNTERS[client.ordinal()][event.ordinal()].sum();
  }

  /** Every counter, keyed {@code client.event} (for example {@code okhttp.requestsRerouted}), in a stable order. */
  public static Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Client client : Client.values()) {
      for (Event event : Event.values()) {
        out.put(key(client, event), get(client, event));
      }
    }
    return out;
  }

  static String key(Client client, Event event) {
    return client.id() + "." + event.id();
  }
}
