package dev.h2fix.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every configuration key: its name, default, the values it accepts and what it does. The same key
 * works as an agent argument ({@code -javaagent:h2fix.jar=key=value,...}) and as a system property
 * ({@code -Dh2fix.key=value}); the agent argument wins.
 */
public enum ConfigKey {
  OKHTTP_ENABLED("okhttp.enabled", "true", ValueType.BOOLEAN, "patch OkHttp 4.12 and 5.x"),
  JETTY_ENABLED("jetty.enabled", "true", ValueType.BOOLEAN, "patch Jetty 12.0 and 12.1 HTTP/2 clients"),
  JDK_ENABLED("jdk.enabled", "true", ValueType.BOOLEAN, "patch the JDK's java.net.http.HttpClient (Java 17 and 25)"),
  REROUTE_MAX_ATTEMPTS(
      "reroute.maxAttempts",
      "3",
      ValueType.attempts(0, 10),
      "how many times one never-sent request may be sent again on a fresh connection (0 turns rerouting off)"),
  REROUTE_REFUSED_STREAMS(
      "reroute.refusedStreams",
      "true",
      ValueType.BOOLEAN,
      "replay once a stream the server refused (REFUSED_STREAM, or above a GOAWAY's last-stream-id) when its body can be replayed"),
  LOG("log", "info", ValueType.oneOf("off", "info", "debug"), "what h2fix logs through System.Logger \"h2fix\""),
  JMX("jmx", "true", ValueType.BOOLEAN, "register the read-only MBean h2fix:type=Stats"),
  KNOWN_BUILDS(
      "knownBuilds",
      "true",
      ValueType.BOOLEAN,
      "take the patched classes h2fix.jar carries for the library builds it was built against (faster start-up); false weaves every class at run time");

  /** The prefix of the system-property form of every key. */
  public static final String PROPERTY_PREFIX = "h2fix.";

  private final String key;
  private final String defaultValue;
  private final ValueType type;
  private final String description;

  ConfigKey(String key, String defaultValue, ValueType type, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.type = type;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  /** The accepted values, as a person reads them: {@code true|false}, {@code 0..10}, {@code off|info|debug}. */
  public String validValues() {
    return type.describe();
  }

  public String description() {
    return description;
  }

  /** Normalises {@code value}, or returns null when this key does not accept it. */
  String normalise(String value) {
    return type.normalise(value);
  }

  static ConfigKey byName(String name) {
    for (ConfigKey k : values()) {
      if (k.key.equals(name)) {
        return k;
      }
    }
    return null;
  }

  static String allNames() {
    return Arrays.stream(values()).map(ConfigKey::key).collect(Collectors.joining(", "));
  }

  /** The values a key accepts. */
  private interface ValueType {
    ValueType BOOLEAN = oneOf("true", "false");

    String normalise(String value);

    String describe();

    static ValueType oneOf(String... choices) {
      List<String> allowed = List.of(choices);
      return new ValueType() {
        @Override
        public String normalise(String value) {
          String v = value.trim().toLowerCase(Locale.ROOT);
          return allowed.contains(v) ? v : null;
        }

        @Override
        public String describe() {
          return String.join("|", allowed);
        }
      };
    }

    static ValueType attempts(int min, int max) {
      return new ValueType() {
        @Override
        public String normalise(String value) {
          try {
            int n = Integer.parseInt(value.trim());
            return n >= min && n <= max ? Integer.toString(n) : null;
          } catch (NumberFormatException e) {
            return null;
          }
        }

        @Override
        public String describe() {
          return min + ".." + max;
        }
      };
    }
  }
}
