package dev.h2fix.chaos;

import java.io.PrintStream;

/**
 * The progress line of a running phase: rewritten in place with {@code \r} on a terminal, a plain
 * line every few seconds otherwise (logs, CI).
 */
final class Progress {
  private static final long PLAIN_EVERY_MS = 5_000;
  private final PrintStream out;
  private final boolean terminal;
  private long lastPlain;
  private int lastWidth;

  Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static Progress forConsole() {
    return new Progress(System.out, System.console() != null);
  }

  synchronized void update(String label, long done, long total, long failed) {
    line(label + ": " + done + (total > 0 ? "/" + total : "") + " requests, " + failed + " failed");
  }

  /** Shows {@code text} as the current progress line. */
  synchronized void line(String text) {
    if (terminal) {
      out.print("\r" + pad(text));
      out.flush();
    } else {
      long now = System.currentTimeMillis();
      if (now - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = now;
        out.println(text);
      }
    }
  }

  synchronized void done(String text) {
    out.print(terminal ? "\r" + pad(text) + "\n" : text + "\n");
    out.flush();
    lastWidth = 0;
    lastPlain = 0;
  }

  private String pad(String text) {
    StringBuilder padded = new StringBuilder(text);
    while (padded.length() < lastWidth) {
      padded.append(' ');
    }
    lastWidth = text.length();
    return padded.toString();
  }
}
