package dev.h2fix.chaos.child;

import java.util.Arrays;

/** Latencies in microseconds, recorded by one thread; merged and read once the load is done. */
public final class Latencies {
  private long[] values = new long[1024];
  private int size;

  public void add(long micros) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = micros;
  }

  public static long[] sortedUnion(Iterable<Latencies> parts) {
    int total = 0;
    for (Latencies part : parts) {
      total += part.size;
    }
    long[] all = new long[total];
    int at = 0;
    for (Latencies part : parts) {
      System.arraycopy(part.values, 0, all, at, part.size);
      at += part.size;
    }
    Arrays.sort(all);
    return all;
  }

  /** The nearest-rank percentile {@code p} (0..100) of sorted values; 0 when empty. */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
