package dev.h2fix.scenarios.okhttp;

import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;

import dev.h2fix.bench.SelfSignedCertificate;
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

  private static OkHttpClient.Builder base() {
    return new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(20, TimeUnit.SECONDS)
        .writeTimeout(20, TimeUnit.SECONDS)
        .callTimeout(30, TimeUnit.SECONDS);
  }
}
