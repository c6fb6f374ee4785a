package dev.h2fix.chaos;

import java.util.SplittableRandom;

/**
 * What request number {@code i} of a run is: its method and body, and its fault if any. A pure
 * function of (seed, i): the same seed gives the same schedule, for every client and both phases,
 * whatever order the requests are sent in.
 */
public final class Schedule {
  /** How a request carries its body. */
  public enum Body { GET, POST, ONE_SHOT }

  /** One scheduled request; {@code fault} is null for a healthy one. */
  public record Entry(long index, Body body, FaultKind fault) {}

  private final long seed;
  private final double faultRate;
  private final FaultMix mix;
  private final double postShare;
  private final double oneShotShare;

  /**
   * @param postShare share of POSTs among all requests (the rest are GETs)
   * @param oneShotShare share of one-shot bodies among the POSTs
   */
  public Schedule(long seed, double faultRate, FaultMix mix, double postShare, double oneShotShare) {
    this.seed = seed;
    this.faultRate = faultRate;
    this.mix = mix;
    this.postShare = postShare;
    this.oneShotShare = oneShotShare;
  }

  public Entry entry(long index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    Body body = Body.GET;
    if (random.nextDouble() < postShare) {
      body = random.nextDouble() < oneShotShare ? Body.ONE_SHOT : Body.POST;
    }
    FaultKind fault = random.nextDouble() < faultRate ? mix.pick(random) : null;
    return new Entry(index, body, fault);
  }
}
