package dev.h2fix.chaos.child;

import java.util.HashMap;
import java.util.Map;

/** {@code key=value} arguments of a chaos child JVM, written by the parent; a missing key is a bug. */
public final class ChildArgs {
  private final Map<String, String> values = new HashMap<>();

  public ChildArgs(String[] args) {
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got " + arg);
      }
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
  }

  public String get(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key + "=");
    }
    return value;
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public int getInt(String key) {
    return Integer.parseInt(get(key));
  }

  public long getLong(String key) {
    return Long.parseLong(get(key));
  }

  public double getDouble(String key) {
    return Double.parseDouble(get(key));
  }
}
