package dev.h2fix.scenarios.jdk;

import dev.h2fix.bench.SelfSignedCertificate;
import dev.h2fix.scenarios.ScenarioArgs;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * JDK HttpClients for the bench. TLS only: the JDK client speaks h2c only through an HTTP/1.1
 * Upgrade, never with prior knowledge, and the bench's h2c connector is prior-knowledge HTTP/2.
 */
public final class JdkClients {
  /** Every request's own timeout: a request stuck on a dead connection shows as a timeout, not a hung test. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private JdkClients() {}

  /** An HTTP/2 client over TLS trusting the bench certificate. */
  public static HttpClient tls(ScenarioArgs args, Executor executor) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.load(Path.of(args.get("keystore")), args.get("password"));
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .sslContext(cert.clientSslContext())
        .connectTimeout(Duration.ofSeconds(10));
    if (executor != null) {
      b.executor(executor);
    }
    return b.build();
  }

  /** The bench URL for {@code path} through the TLS proxy. */
  public static URI url(ScenarioArgs args, String path) {
    return URI.create("https://127.0.0.1:" + args.get("tls") + path);
  }
}
