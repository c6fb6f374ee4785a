package dev.h2fix.runtime;

import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's configuration, immutable. Built from the agent argument string and the {@code h2fix.*}
 * system properties; the argument wins. Anything h2fix does not know is refused with a
 * {@link ConfigException}, so a typo stops the deploy instead of silently running with defaults.
 */
public final class H2FixConfig {
  private static final H2FixConfig DEFAULTS = new H2FixConfig(new EnumMap<>(ConfigKey.class));

  private final Map<ConfigKey, String> values;

  private H2FixConfig(Map<ConfigKey, String> values) {
    this.values = values;
  }

  public static H2FixConfig defaults() {
    return DEFAULTS;
  }

  /**
   * @param agentArgs {@code key=value,key=value}, may be null or empty
   * @param systemProperties consulted for {@code h2fix.<key>}; every {@code h2fix.*} property must be a known key
   */
  public static H2FixConfig parse(String agentArgs, Properties systemProperties) {
    Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith(ConfigKey.PROPERTY_PREFIX)) {
        String key = name.substring(ConfigKey.PROPERTY_PREFIX.length());
        put(values, key, systemProperties.getProperty(name), "system property -D" + name);
      }
    }
    if (agentArgs != null && !agentArgs.isBlank()) {
      for (String pair : agentArgs.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq < 0) {
          throw new ConfigException(
              "agent argument '" + pair.trim() + "' is not key=value. Valid keys: " + ConfigKey.allNames());
        }
        put(values, pair.substring(0, eq).trim(), pair.substring(eq + 1), "agent argument");
      }
    }
    return new H2FixConfig(values);
  }

  private static void put(Map<ConfigKey, String> values, String name, String raw, String source) {
    ConfigKey key = ConfigKey.byName(name);
    if (key == null) {
      throw new ConfigException(
          "unknown configuration key '" + name + "' (" + source + "). Valid keys: " + ConfigKey.allNames());
    }
    String value = key.normalise(raw);
    if (value == null) {
      throw new ConfigException(
          "bad value '" + raw.trim() + "' for key '" + name + "' (" + source + "). Valid values: " + key.validValues());
    }
    values.put(key, value);
  }

  public String get(ConfigKey key) {
    return values.getOrDefault(key, key.defaultValue());
  }

  public boolean isEnabled(Client client) {
    switch (client) {
      case OKHTTP:
        return flag(ConfigKey.OKHTTP_ENABLED);
      case JETTY:
        return flag(ConfigKey.JETTY_ENABLED);
      case JDK:
        return flag(ConfigKey.JDK_ENABLED);
      default:
        return false;
    }
  }

  public int rerouteMaxAttempts() {
    return Integer.parseInt(get(ConfigKey.REROUTE_MAX_ATTEMPTS));
  }

  public boolean rerouteRefusedStreams() {
    return flag(ConfigKey.REROUTE_REFUSED_STREAMS);
  }

  public String logLevel() {
    return get(ConfigKey.LOG);
  }

  public boolean jmx() {
    return flag(ConfigKey.JMX);
  }

  public boolean knownBuilds() {
    return flag(ConfigKey.KNOWN_BUILDS);
  }

  private boolean flag(ConfigKey key) {
    return Boolean.parseBoolean(get(key));
  }

  /** Only the keys set away from their defaults, {@code key=value} comma-separated; "defaults" if none. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<ConfigKey, String> e : values.entrySet()) {
      if (!e.getValue().equals(e.getKey().defaultValue())) {
        sb.append(sb.length() == 0 ? "" : ",").append(e.getKey().key()).append('=').append(e.getValue());
      }
    }
    return sb.length() == 0 ? "defaults" : sb.toString();
  }
}
