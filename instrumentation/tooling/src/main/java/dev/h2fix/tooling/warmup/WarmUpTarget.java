package dev.h2fix.tooling.warmup;

/**
 * Never loaded: its class file is read as a resource and woven once by Byte Buddy in the
 * background, so that the first real patch finds Byte Buddy ready ({@code ByteBuddyWarmUp}).
 */
public final class WarmUpTarget {
  private Object state;

  public boolean work(Object first, int second) {
    if (second < 0) {
      throw new IllegalArgumentException("negative");
    }
    state = first;
    return state != null;
  }
}
