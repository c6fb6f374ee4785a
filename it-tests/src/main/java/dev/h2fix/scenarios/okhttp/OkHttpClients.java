package dev.h2fix.scenarios.okhttp;

import dev.h2fix.bench.SelfSignedCertificate;
import dev.h2fix.scenarios.ScenarioArgs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** OkHttp clients for the bench: h2c with prior knowledge, or TLS trusting the bench certificate. */
public final class OkHttpClients {
  private OkHttpClients() {}

  public static OkHttpClient.Builder h2c() {
    return base().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
  }

  public static OkHttpClient.Builder tls(ScenarioArgs args) throws Exception {
    SelfSignedCertificate cert =
        SelfSignedCertificate.load(Path.of(args.get("keystore")), args.get("password"));
    return base()
        .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
        .sslSocketFactory(cert.clientSslContext().getSocketFactory(), cert.trustManager());
  }

  /** The client for the scenario's {@code --transport} (h2c or tls). */
  public static OkHttpClient.Builder forTransport(ScenarioArgs args) throws Exception {
    return isTls(args) ? tls(args) : h2c();
  }

  /** The bench URL for {@code path} over the scenario's {@code --transport}, through its proxy port. */
  public static String url(ScenarioArgs args, String path) {
    return (isTls(args) ? "https" : "http") + "://127.0.0.1:" + args.get(args.get("transport")) + path;
  }

  private static boolean isTls(ScenarioArgs args) {
    return args.get("transport").equals("tls");
  }

  private static OkHttpClient.Builder base() {
    return new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(20, TimeUnit.SECONDS)
        .writeTimeout(20, TimeUnit.SECONDS)
        .callTimeout(30, TimeUnit.SECONDS);
  }
}
