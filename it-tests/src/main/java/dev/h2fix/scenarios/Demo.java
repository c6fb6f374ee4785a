package dev.h2fix.scenarios;

import dev.h2fix.scenarios.okhttp.OkHttpClients;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.runtime.Stats;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * The README's first command: starts the bench's HTTP/2 server on 127.0.0.1, sends a few requests
 * with OkHttp and Jetty over h2c and TLS, and prints what happened and what h2fix patched. Run it
 * with and without {@code -javaagent:agent/target/h2fix.jar} to compare.
 */
public final class Demo {
  private static final int REQUESTS = 3;

  public static void main(String[] args) throws Exception {
    System.out.println("h2fix demo: " + (H2FixRuntime.isInstalled()
        ? "agent " + H2FixRuntime.version() + " attached"
        : "no agent attached (add -javaagent:agent/target/h2fix.jar)"));
    try (BenchServer bench = BenchServer.start()) {
      String h2c = "http://127.0.0.1:" + bench.h2cProxy().listenPort();
      String tls = "https://127.0.0.1:" + bench.tlsProxy().listenPort();
      ScenarioArgs tlsArgs = new ScenarioArgs(new String[] {
        "--keystore=" + bench.certificate().keystorePath(), "--password=" + bench.certificate().password()});
      okhttp("OkHttp h2c", OkHttpClients.h2c().build(), h2c);
      okhttp("OkHttp TLS", OkHttpClients.tls(tlsArgs).build(), tls);
      HttpClient jetty = HealthyJetty.newClient(bench.certificate());
      try {
        jetty("Jetty h2c", jetty, h2c);
        jetty("Jetty TLS", jetty, tls);
      } finally {
        jetty.stop();
      }
      System.out.println("server: " + bench.deliveredCount() + " requests delivered, "
          + bench.duplicates().size() + " duplicates");
    }
    System.out.println("h2fix patched: " + (H2FixRuntime.isInstalled() ? H2FixRuntime.patched() : "nothing"));
    if (H2FixRuntime.isInstalled()) {
      for (Map.Entry<String, Long> e : Stats.snapshot().entrySet()) {
        if (e.getValue() != 0) {
          System.out.println("  " + e.getKey() + " = " + e.getValue());
        }
      }
    }
  }

  private static void okhttp(String name, OkHttpClient client, String base) throws Exception {
    for (int i = 0; i < REQUESTS; i++) {
      Request request = new Request.Builder().url(base + "/demo").header(BenchProtocol.ID, name + "-" + i).build();
      try (Response response = client.newCall(request).execute()) {
        System.out.println(name + ": " + response.code() + " " + response.protocol() + ", "
            + response.body().bytes().length + " bytes");
      }
    }
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private static void jetty(String name, HttpClient client, String base) throws Exception {
    for (int i = 0; i < REQUESTS; i++) {
      String id = name + "-" + i;
      ContentResponse response =
          client.newRequest(base + "/demo").headers(h -> h.put(BenchProtocol.ID, id)).timeout(30, TimeUnit.SECONDS).send();
      System.out.println(name + ": " + response.getStatus() + " " + response.getVersion() + ", "
          + response.getContent().length + " bytes");
    }
  }
}
