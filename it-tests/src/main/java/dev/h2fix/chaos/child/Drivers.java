package dev.h2fix.chaos.child;

import dev.h2fix.bench.SelfSignedCertificate;
import java.nio.file.Path;

/** The clients a chaos run drives, by name, and how each reaches the bench. */
public final class Drivers {
  /** Client names, in the order runs and reports use. */
  public static final String[] NAMES = {"okhttp", "jetty-client", "jetty-http2", "jdk"};

  private Drivers() {}

  /** Whether {@code client} talks TLS to the bench (the JDK client has no h2c prior knowledge). */
  public static boolean usesTls(String client) {
    return client.equals("jdk");
  }

  /** What the report calls each client. */
  public static String label(String client) {
    return switch (client) {
      case "okhttp" -> "OkHttp 5.5.1 (h2c, retryOnConnectionFailure off)";
      case "jetty-client" -> "Jetty 12.1 HttpClient (h2c)";
      case "jetty-http2" -> "Jetty 12.1 HTTP2Client, low level (h2c)";
      case "jdk" -> "JDK java.net.http.HttpClient (TLS)";
      default -> client;
    };
  }

  /** Starts the driver for {@code args}' client: port=, keystore=, password=, timeoutMs=, concurrency=. */
  public static Driver start(ChildArgs args) throws Exception {
    String client = args.get("client");
    int port = args.getInt("port");
    long timeoutMs = args.getLong("timeoutMs");
    int concurrency = args.getInt("concurrency");
    SelfSignedCertificate cert = SelfSignedCertificate.load(Path.of(args.get("keystore")), args.get("password"));
    return switch (client) {
      case "okhttp" -> new OkHttpDriver(port, timeoutMs, concurrency);
      case "jetty-client" -> new JettyClientDriver(port, timeoutMs, cert);
      case "jetty-http2" -> new JettyLowLevelDriver(port, timeoutMs, cert);
      case "jdk" -> new JdkDriver(port, timeoutMs, cert);
      default -> throw new IllegalArgumentException("unknown client " + client);
    };
  }
}
