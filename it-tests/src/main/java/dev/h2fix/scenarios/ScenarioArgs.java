package dev.h2fix.scenarios;

import java.util.HashMap;
import java.util.Map;

/** {@code --key=value} arguments of a forked scenario. */
public final class ScenarioArgs {
  private final Map<String, String> values = new HashMap<>();

  public ScenarioArgs(String[] args) {
    for (String a : args) {
      if (!a.startsWith("--") || a.indexOf('=') < 0) {
        throw new IllegalArgumentException("expected --key=value, got " + a);
      }
      values.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public int getInt(String key) {
    return Integer.parseInt(get(key));
  }

  public int getInt(String key, int fallback) {
    return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
  }
}
