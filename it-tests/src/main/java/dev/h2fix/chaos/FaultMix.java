package dev.h2fix.chaos;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which faults, with which weights: {@code fin,rst:2,goaway} (a weight defaults to 1). Its text
 * form is what {@link #parse} reads, so a child JVM gets the mix as one argument.
 */
public final class FaultMix {
  private final EnumMap<FaultKind, Integer> weights;
  private final int total;

  private FaultMix(EnumMap<FaultKind, Integer> weights) {
    this.weights = weights;
    int sum = 0;
    for (int w : weights.values()) {
      sum += w;
    }
    this.total = sum;
  }

  /** Every fault, weight 1. */
  public static FaultMix all() {
    EnumMap<FaultKind, Integer> weights = new EnumMap<>(FaultKind.class);
    for (FaultKind kind : FaultKind.values()) {
      weights.put(kind, 1);
    }
    return new FaultMix(weights);
  }

  /** Parses {@code kind[:weight],...}; throws IllegalArgumentException naming the bad part and the valid kinds. */
  public static FaultMix parse(String text) {
    EnumMap<FaultKind, Integer> weights = new EnumMap<>(FaultKind.class);
    for (String part : text.split(",")) {
      String item = part.trim();
      if (item.isEmpty()) {
        continue;
      }
      int colon = item.indexOf(':');
      String name = colon < 0 ? item : item.substring(0, colon);
      FaultKind kind = FaultKind.byId(name);
      if (kind == null) {
        throw new IllegalArgumentException("unknown fault '" + name + "'; valid faults: " + FaultKind.validIds());
      }
      int weight = 1;
      if (colon >= 0) {
        try {
          weight = Integer.parseInt(item.substring(colon + 1));
        } catch (NumberFormatException e) {
          weight = -1;
        }
        if (weight < 1 || weight > 1000) {
          throw new IllegalArgumentException("bad weight in '" + item + "'; a weight is 1..1000");
        }
      }
      weights.merge(kind, weight, Integer::sum);
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("no fault named; valid faults: " + FaultKind.validIds());
    }
    return new FaultMix(weights);
  }

  /** A fault drawn by weight. */
  public FaultKind pick(SplittableRandom random) {
    int n = random.nextInt(total);
    for (Map.Entry<FaultKind, Integer> e : weights.entrySet()) {
      n -= e.getValue();
      if (n < 0) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("weights changed");
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<FaultKind, Integer> e : weights.entrySet()) {
      out.append(out.length() == 0 ? "" : ",").append(e.getKey().id());
      if (e.getValue() != 1) {
        out.append(':').append(e.getValue());
      }
    }
    return out.toString();
  }
}
