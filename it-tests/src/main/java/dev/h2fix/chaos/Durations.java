package dev.h2fix.chaos;

import java.util.Locale;

/** Durations on the command line: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}; a bare number is seconds. */
final class Durations {
  private Durations() {}

  static long parse(String option, String value, long minMs, long maxMs) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1_000;
    if (text.endsWith("ms")) {
      unit = 1;
      text = text.substring(0, text.length() - 2);
    } else if (text.endsWith("s")) {
      text = text.substring(0, text.length() - 1);
    } else if (text.endsWith("m")) {
      unit = 60_000;
      text = text.substring(0, text.length() - 1);
    } else if (text.endsWith("h")) {
      unit = 3_600_000;
      text = text.substring(0, text.length() - 1);
    }
    long ms;
    try {
      ms = Long.parseLong(text) * unit;
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < minMs || ms > maxMs) {
      throw new OptionException("bad value '" + value + "' for --" + option + ": a duration like 500ms, 90s, 10m"
          + " (" + minMs + " ms.." + (maxMs / 1000) + " s)");
    }
    return ms;
  }
}
