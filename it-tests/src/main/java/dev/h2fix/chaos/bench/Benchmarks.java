package dev.h2fix.chaos.bench;

import dev.h2fix.chaos.OptionException;

/** {@code bench overhead|startup|recovery|soak [options]}. */
public final class Benchmarks {
  private Benchmarks() {}

  public static int run(String[] args) throws Exception {
    throw new OptionException("benchmarks: not yet");
  }
}
