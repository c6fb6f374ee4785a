package dev.h2fix.agent;

import dev.h2fix.instrumentation.jdk.JdkModule;
import dev.h2fix.instrumentation.jetty.JettyModule;
import dev.h2fix.instrumentation.okhttp.OkHttpModule;
import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.H2FixConfig;
import dev.h2fix.tooling.ClientModule;
import java.util.ArrayList;
import java.util.List;

/** Every client module h2fix ships, and what the usage text says of each client. */
final class SupportedClients {
  private SupportedClients() {}

  static List<ClientModule> all() {
    return List.of(new OkHttpModule(), new JettyModule(), new JdkModule());
  }

  static List<ClientModule> enabled(H2FixConfig config) {
    List<ClientModule> out = new ArrayList<>();
    for (ClientModule m : all()) {
      if (config.isEnabled(m.client())) {
        out.add(m);
      }
    }
    return out;
  }

  static String describe(Client client) {
    switch (client) {
      case OKHTTP:
        return "OkHttp 4.12.x and 5.x (okhttp3.OkHttpClient over HTTP/2)";
      case JETTY:
        return "Jetty 12.0.x and 12.1.x (HTTP2Client, HttpClient over HTTP/2)";
      case JDK:
        return "java.net.http.HttpClient over HTTP/2 (Java 17.0.x and 25 shapes; others left as stock)";
      default:
        return "unknown";
    }
  }
}
