package dev.h2fix.chaos;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the agent's start-up line ("h2fix: VERSION installed in X ms; ...") from a child's stderr. */
public final class AgentLine {
  private static final Pattern INSTALLED = Pattern.compile("h2fix: \\S+ installed in ([0-9.]+) ms");

  private AgentLine() {}

  /** The installation time in ms, or null when the line is absent. */
  public static Double installMillis(String stderr) {
    Matcher m = INSTALLED.matcher(stderr);
    return m.find() ? Double.valueOf(m.group(1)) : null;
  }
}
