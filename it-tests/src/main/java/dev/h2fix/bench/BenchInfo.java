package dev.h2fix.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a bench lives, as printed by {@link BenchServerMain} on one line:
 * {@code BENCH h2c=<proxyPort> tls=<proxyPort> h2cDirect=<port> tlsDirect=<port> control=<port> keystore=<path> password=<pw>}.
 * JDK types only, so the JVM that forked the bench can parse it. The keystore path must not contain spaces.
 */
public record BenchInfo(int h2c, int tls, int h2cDirect, int tlsDirect, int control, Path keystore, String password) {
  public static final String PREFIX = "BENCH ";

  public static BenchInfo of(BenchServer bench, BenchControl control) {
    return new BenchInfo(bench.h2cProxy().listenPort(), bench.tlsProxy().listenPort(), bench.h2cPort(),
        bench.tlsPort(), control.port(), bench.certificate().keystorePath(), bench.certificate().password());
  }

  public String line() {
    return PREFIX + "h2c=" + h2c + " tls=" + tls + " h2cDirect=" + h2cDirect + " tlsDirect=" + tlsDirect
        + " control=" + control + " keystore=" + keystore + " password=" + password;
  }

  public static BenchInfo parse(String line) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a bench line: " + line);
    }
    Map<String, String> values = new HashMap<>();
    for (String word : line.substring(PREFIX.length()).trim().split("\\s+")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        values.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    return new BenchInfo(port(values, "h2c"), port(values, "tls"), port(values, "h2cDirect"),
        port(values, "tlsDirect"), port(values, "control"), Path.of(value(values, "keystore")),
        value(values, "password"));
  }

  /** The certificate (for a client's trust manager) of the bench this line describes. */
  public SelfSignedCertificate certificate() throws java.io.IOException {
    return SelfSignedCertificate.load(keystore, password);
  }

  private static int port(Map<String, String> values, String key) {
    return Integer.parseInt(value(values, key));
  }

  private static String value(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }
}
