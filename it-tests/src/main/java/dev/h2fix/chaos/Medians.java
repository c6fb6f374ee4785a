package dev.h2fix.chaos;

import java.util.Arrays;
import java.util.List;

/** Medians of a benchmark's repeated measurements. */
final class Medians {
  private Medians() {}

  static double of(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
